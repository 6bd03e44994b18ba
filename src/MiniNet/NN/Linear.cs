using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// A fully connected layer: <c>y = x W^T + b</c> for a batch <c>x</c> of shape <c>[n, in]</c>, giving <c>[n, out]</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Linear(in_features, out_features, bias)</c>. The weight is stored <c>[out, in]</c> like
/// PyTorch's, so checkpoints line up name for name and shape for shape (<c>weight</c>, <c>bias</c>). The forward
/// pass is the fused op <see cref="Ops.Linear{T}"/> (one tape entry). Nielsen's book writes <c>w a + b</c> with
/// <c>w</c> of shape <c>[out, in]</c> acting on a column vector: the same numbers, batched as rows.
/// </remarks>
public class Linear<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer and initialises its parameters from <paramref name="rng"/>.</summary>
    /// <param name="inFeatures">The input size, positive.</param>
    /// <param name="outFeatures">The output size, positive.</param>
    /// <param name="rng">The generator the initial values are drawn from (weight first, then bias).</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="init">The initialisation; by default PyTorch's (<see cref="InitScheme.PyTorchDefault"/>: <c>U(-1/sqrt(in), 1/sqrt(in))</c> for both).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rng"/> is null.</exception>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(rng);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Zeros<T>(outFeatures, inFeatures));
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros<T>(outFeatures)) : null;
        Init.Linear(init, Weight, Bias, rng);
    }

    /// <summary>The input size.</summary>
    public int InFeatures { get; }

    /// <summary>The output size.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, <c>[out, in]</c> (PyTorch: <c>weight</c>).</summary>
    public Tensor<T> Weight { get; }

    /// <summary>The bias, <c>[out]</c>, or null when created without one (PyTorch: <c>bias</c>).</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>Computes <c>input W^T + b</c>.</summary>
    /// <param name="input">A batch <c>[n, in]</c>.</param>
    /// <returns>The output <c>[n, out]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not <c>[n, in]</c>; the message names both shapes.</exception>
    public override Tensor<T> Forward(Tensor<T> input) => input.Linear(Weight, Bias);
}

/// <summary>A float <see cref="Linear{T}"/>: <c>y = x W^T + b</c>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Linear</c>.</remarks>
public sealed class Linear : Linear<float>
{
    /// <inheritdoc cref="Linear{T}(int, int, Rng, bool, InitScheme)"/>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
        : base(inFeatures, outFeatures, rng, bias, init)
    {
    }
}
