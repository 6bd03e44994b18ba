using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// Layer normalisation over the trailing <see cref="NormalizedShape"/> dimensions, with an optional learned
/// elementwise scale (ones) and shift (zeros). Behaves the same in training and evaluation.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.LayerNorm(normalized_shape, eps, elementwise_affine, bias)</c>, parameters <c>weight</c> and <c>bias</c>. Forward is the fused <see cref="Ops.LayerNorm{T}"/>.</remarks>
public class LayerNorm<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="normalizedShape">The trailing dimensions to normalise over, e.g. <c>[features]</c>; each positive.</param>
    /// <param name="eps">Added to the variance, positive.</param>
    /// <param name="elementwiseAffine">Learn a scale (and, with <paramref name="bias"/>, a shift) per normalised element.</param>
    /// <param name="bias">Learn the shift (when <paramref name="elementwiseAffine"/>).</param>
    /// <exception cref="ArgumentException">The shape is empty or has a non-positive dimension.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eps"/> is not positive.</exception>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || Array.Exists(normalizedShape, d => d <= 0))
        {
            throw new ArgumentException($"LayerNorm needs a non-empty normalized shape of positive sizes, got [{string.Join(", ", normalizedShape)}].", nameof(normalizedShape));
        }

        if (!(eps > 0) || !double.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be finite and positive.");
        }

        (NormalizedShape, Eps) = (new Shape(normalizedShape), eps);
        Weight = elementwiseAffine ? RegisterParameter("weight", Tensor.Ones<T>(normalizedShape)) : null;
        Bias = elementwiseAffine && bias ? RegisterParameter("bias", Tensor.Zeros<T>(normalizedShape)) : null;
    }

    /// <summary>The normalised trailing shape.</summary>
    public Shape NormalizedShape { get; }

    /// <summary>The variance term <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>The scale, shaped <see cref="NormalizedShape"/>, or null.</summary>
    public Tensor<T>? Weight { get; }

    /// <summary>The shift, shaped <see cref="NormalizedShape"/>, or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>Normalises each trailing block of <paramref name="input"/>.</summary>
    /// <param name="input">A tensor ending with <see cref="NormalizedShape"/>.</param>
    /// <returns>The normalised tensor.</returns>
    /// <exception cref="ArgumentException">The trailing dimensions differ from <see cref="NormalizedShape"/>.</exception>
    public override Tensor<T> Forward(Tensor<T> input) => input.LayerNorm(NormalizedShape, Weight, Bias, Eps);
}

/// <summary>A float <see cref="LayerNorm{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.LayerNorm</c>.</remarks>
public sealed class LayerNorm : LayerNorm<float>
{
    /// <inheritdoc cref="LayerNorm{T}(int[], double, bool, bool)"/>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
        : base(normalizedShape, eps, elementwiseAffine, bias)
    {
    }
}
