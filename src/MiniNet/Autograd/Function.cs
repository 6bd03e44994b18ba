using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>
/// A user-defined differentiable op (PyTorch: <c>torch.autograd.Function</c>): derive, implement
/// <see cref="Forward"/> and <see cref="Backward"/>, and call <see cref="Apply"/>. The op then takes part in
/// <see cref="Tensor{T}.Backward"/>, <see cref="Autograd.Grad{T}(IReadOnlyList{Tensor{T}}, IReadOnlyList{Tensor{T}}, IReadOnlyList{Tensor{T}?}?, bool?, bool, bool)"/>,
/// <see cref="GradCheck"/> and anomaly mode like a built-in op.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <see cref="Forward"/> runs without recording: compute the output with spans or with MiniNet ops. Tensors
/// <see cref="Backward"/> needs go through <see cref="FunctionContext{T}.SaveForBackward"/>; saved inputs and the
/// saved output are version-checked like a built-in op's. Write <see cref="Backward"/> with MiniNet ops: then
/// <c>createGraph: true</c> records it and higher-order gradients pass through the function. One output per function.
/// </remarks>
public abstract class Function<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The op's name in error messages and anomaly reports; the class name by default.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Computes the output from <paramref name="inputs"/> (not recorded).</summary>
    /// <param name="context">Where to save what backward needs.</param>
    /// <param name="inputs">The inputs, as passed to <see cref="Apply"/>.</param>
    /// <returns>The output; a new tensor, not one of the inputs.</returns>
    /// <remarks>PyTorch: <c>Function.forward(ctx, *inputs)</c>.</remarks>
    protected abstract Tensor<T> Forward(FunctionContext<T> context, Tensor<T>[] inputs);

    /// <summary>The gradient of each input, given the gradient of the output.</summary>
    /// <param name="context">The context <see cref="Forward"/> filled (saved tensors, <see cref="FunctionContext{T}.NeedsInputGrad"/>).</param>
    /// <param name="gradOutput">The gradient flowing into the output (the output's shape).</param>
    /// <returns>One gradient per input (its shape), or null for an input that needs none.</returns>
    /// <remarks>PyTorch: <c>Function.backward(ctx, grad_output)</c>.</remarks>
    protected abstract Tensor<T>?[] Backward(FunctionContext<T> context, Tensor<T> gradOutput);

    /// <summary>Runs <see cref="Forward"/> and, when grad mode is on and an input requires a gradient, records the op.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <returns>The output.</returns>
    /// <remarks>PyTorch: <c>MyFunction.apply(*inputs)</c>.</remarks>
    /// <exception cref="InvalidOperationException"><see cref="Forward"/> returned null or one of the inputs.</exception>
    public Tensor<T> Apply(params Tensor<T>[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var context = new FunctionContext<T>(inputs);
        Tensor<T> output;
        using (Autograd.NoGrad())
        {
            output = Forward(context, inputs);
        }

        if (output is null || Array.Exists(inputs, i => ReferenceEquals(i, output)) || !output.IsLeaf)
        {
            throw new InvalidOperationException($"{Name}.Forward must return a new tensor, not null or one of its inputs.");
        }

        if (Tape.ShouldRecord<T>(inputs))
        {
            Tape.Record(new FunctionNode<T>(this, context, output, inputs));
        }

        return output;
    }

    internal Tensor<T>?[] RunBackward(FunctionContext<T> context, Tensor<T> gradOutput) => Backward(context, gradOutput);
}

/// <summary>What a <see cref="Function{T}"/> keeps between forward and backward (PyTorch: <c>ctx</c>).</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class FunctionContext<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _inputs;
    private Tensor<T>[] _saved = [];

    internal FunctionContext(Tensor<T>[] inputs) => _inputs = inputs;

    /// <summary>The tensors saved by <see cref="SaveForBackward"/> (PyTorch: <c>ctx.saved_tensors</c>).</summary>
    public IReadOnlyList<Tensor<T>> SavedTensors => _saved;

    /// <summary>Any other values backward needs (shapes, constants).</summary>
    public IDictionary<string, object> Items { get; } = new Dictionary<string, object>();

    internal Tensor<T>[] Saved => _saved;

    /// <summary>Saves tensors for <see cref="Function{T}.Backward"/>; inputs and the output among them are version-checked.</summary>
    /// <param name="tensors">The tensors, in the order <see cref="SavedTensors"/> returns them.</param>
    /// <remarks>PyTorch: <c>ctx.save_for_backward(*tensors)</c>.</remarks>
    public void SaveForBackward(params Tensor<T>[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _saved = (Tensor<T>[])tensors.Clone();
    }

    /// <summary>Whether input <paramref name="index"/> needs a gradient (PyTorch: <c>ctx.needs_input_grad</c>).</summary>
    /// <param name="index">The input's position.</param>
    /// <returns>True when backward must compute it.</returns>
    public bool NeedsInputGrad(int index) => _inputs[index].RequiresGrad;
}

/// <summary>The graph node of a <see cref="Function{T}"/> call.</summary>
internal sealed class FunctionNode<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Function<T> _function;
    private readonly FunctionContext<T> _context;

    public FunctionNode(Function<T> function, FunctionContext<T> context, Tensor<T> output, Tensor<T>[] inputs)
        : base(output, inputs)
    {
        (_function, _context) = (function, context);
        var savedInputs = new List<int>();
        bool savesOutput = false;
        foreach (Tensor<T> saved in context.Saved)
        {
            savesOutput |= ReferenceEquals(saved, output);
            int at = Array.FindIndex(inputs, i => ReferenceEquals(i, saved));
            if (at >= 0)
            {
                savedInputs.Add(at);
            }
        }

        SaveForBackward(savesOutput, [.. savedInputs]);
    }

    public override string OpName => _function.Name;

    // The user's rule, run without recording; its gradients are added into the inputs' buffers.
    public override void Backward()
    {
        Tensor<T>?[] grads;
        using (Autograd.NoGrad())
        {
            grads = Checked(_function.RunBackward(_context, Tensor.FromArray<T>(GradOutput, Output.Shape)));
        }

        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is { } g && NeedsGrad(i))
            {
                Span<T> buffer = GradFor(i);
                TensorPrimitives.Add(buffer, g.AsReadOnlySpan(), buffer);
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => Checked(_function.RunBackward(_context, gradOutput));

    private Tensor<T>?[] Checked(Tensor<T>?[] grads)
    {
        if (grads is null || grads.Length != Inputs.Length)
        {
            throw new InvalidOperationException($"{OpName}.Backward returned {grads?.Length ?? 0} gradients for {Inputs.Length} inputs; return one per input (null where none is needed).");
        }

        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is { } g && g.Shape != Inputs[i].Shape)
            {
                throw new InvalidOperationException($"{OpName}.Backward returned a gradient of shape {g.Shape} for input {i} of shape {Inputs[i].Shape}.");
            }
        }

        return grads;
    }
}
