using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// Puts a module tree in evaluation mode until disposed, then gives every module back its own previous mode
/// (a model whose children were in different modes is restored exactly, unlike a plain <c>Train()</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch has no built-in scope; this is the <c>was_training = m.training; m.eval(); ...; m.train(was_training)</c>
/// pattern that <c>torch.onnx.export</c> and torchinfo apply to every submodule. Create it with
/// <see cref="EvaluationScope.Evaluating{T}(Module{T})"/>; used by <see cref="ModuleSummary"/> and the ONNX exporter.
/// </remarks>
public sealed class EvaluationScope<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly List<(Module<T> Module, bool Training)> _modes = new();

    internal EvaluationScope(Module<T> module)
    {
        var pending = new Stack<Module<T>>();
        pending.Push(module);
        while (pending.Count > 0)
        {
            // Each module is recorded after its parent, so restoring in order lets children override the parent's recursion.
            Module<T> m = pending.Pop();
            _modes.Add((m, m.IsTraining));
            foreach (var (_, child) in m.NamedChildren())
            {
                pending.Push(child);
            }
        }

        module.Eval();
    }

    /// <summary>Restores each module's mode as it was when the scope was created.</summary>
    public void Dispose()
    {
        foreach (var (module, training) in _modes)
        {
            module.Train(training);
        }
    }
}

/// <summary>Creates <see cref="EvaluationScope{T}"/>s.</summary>
public static class EvaluationScope
{
    /// <summary>Switches <paramref name="module"/> and its descendants to evaluation mode until the returned scope is disposed.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">The module tree.</param>
    /// <returns>The scope; dispose it (<c>using</c>) to restore every module's previous mode.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
    /// <remarks>PyTorch: <c>m.eval()</c> followed later by <c>m.train(was_training)</c> for each submodule.</remarks>
    public static EvaluationScope<T> Evaluating<T>(this Module<T> module)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        return new EvaluationScope<T>(module);
    }
}
