using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>Dropout as a layer: zeroes elements with probability <see cref="P"/> in training and scales the rest by <c>1 / (1 - p)</c>; the identity in evaluation.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Dropout(p)</c>. Wraps <see cref="Ops.Dropout{T}"/> with <see cref="Module{T}.IsTraining"/>;
/// masks are drawn from the layer's <see cref="Rng"/>, so a seeded model repeats exactly.
/// </remarks>
public class Dropout<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Rng _rng;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The drop probability, in <c>[0, 1]</c>.</param>
    /// <param name="rng">The generator the masks are drawn from (usually the model's).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside <c>[0, 1]</c>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rng"/> is null.</exception>
    public Dropout(double p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be in [0, 1].");
        }

        P = p;
        _rng = rng;
    }

    /// <summary>The drop probability (PyTorch: <c>p</c>).</summary>
    public double P { get; }

    /// <summary>Applies dropout in training, returns <paramref name="input"/> itself in evaluation.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>The masked and scaled tensor, or the input.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Dropout(P, _rng, IsTraining);
}

/// <summary>A float <see cref="Dropout{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Dropout</c>.</remarks>
public sealed class Dropout : Dropout<float>
{
    /// <inheritdoc cref="Dropout{T}(double, Rng)"/>
    public Dropout(double p, Rng rng)
        : base(p, rng)
    {
    }
}

/// <summary>Channel dropout as a layer: zeroes whole channels of <c>[N, C, H, W]</c> with probability <see cref="P"/> in training; the identity in evaluation.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.Dropout2d(p)</c>. Wraps <see cref="Ops.Dropout2d{T}"/>.</remarks>
public class Dropout2d<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Rng _rng;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The drop probability, in <c>[0, 1]</c>.</param>
    /// <param name="rng">The generator the masks are drawn from.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside <c>[0, 1]</c>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rng"/> is null.</exception>
    public Dropout2d(double p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be in [0, 1].");
        }

        P = p;
        _rng = rng;
    }

    /// <summary>The drop probability (PyTorch: <c>p</c>).</summary>
    public double P { get; }

    /// <summary>Drops channels in training, returns <paramref name="input"/> itself in evaluation.</summary>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <returns>The tensor with dropped channels, or the input.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Dropout2d(P, _rng, IsTraining);
}

/// <summary>A float <see cref="Dropout2d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Dropout2d</c>.</remarks>
public sealed class Dropout2d : Dropout2d<float>
{
    /// <inheritdoc cref="Dropout2d{T}(double, Rng)"/>
    public Dropout2d(double p, Rng rng)
        : base(p, rng)
    {
    }
}
