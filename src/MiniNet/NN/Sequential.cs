using System;
using System.Globalization;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>Chains modules: <c>Forward(x) = m[k-1](...m[1](m[0](x)))</c>.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Sequential</c>. Children are named <c>"0"</c>, <c>"1"</c>, ..., so parameters are named
/// <c>"0.weight"</c>, <c>"0.bias"</c>, ... exactly like PyTorch's <c>state_dict()</c>.
/// </remarks>
public class Sequential<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Module<T>[] _modules;

    /// <summary>Creates the chain.</summary>
    /// <param name="modules">The modules, applied in order; at least one.</param>
    /// <exception cref="ArgumentException">No modules, or one is null.</exception>
    public Sequential(params Module<T>[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Length == 0)
        {
            throw new ArgumentException("Sequential needs at least one module.", nameof(modules));
        }

        _modules = (Module<T>[])modules.Clone();
        for (int i = 0; i < _modules.Length; i++)
        {
            if (_modules[i] is null)
            {
                throw new ArgumentException($"Module {i} of Sequential is null.", nameof(modules));
            }

            RegisterModule(i.ToString(CultureInfo.InvariantCulture), _modules[i]);
        }
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Length;

    /// <summary>The module at position <paramref name="index"/>.</summary>
    /// <param name="index">The position, from 0.</param>
    /// <exception cref="IndexOutOfRangeException">The index is out of range.</exception>
    public Module<T> this[int index] => _modules[index];

    /// <summary>Applies every module in order.</summary>
    /// <param name="input">The input of the first module.</param>
    /// <returns>The output of the last module.</returns>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        Tensor<T> x = input;
        foreach (Module<T> module in _modules)
        {
            x = module.Forward(x);
        }

        return x;
    }
}

/// <summary>A float <see cref="Sequential{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Sequential</c>.</remarks>
public sealed class Sequential : Sequential<float>
{
    /// <inheritdoc cref="Sequential{T}(Module{T}[])"/>
    public Sequential(params Module<float>[] modules)
        : base(modules)
    {
    }
}
