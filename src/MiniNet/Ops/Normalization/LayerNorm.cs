using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation over the last dimensions of <paramref name="x"/> (those of <paramref name="normalizedShape"/>):
    /// per leading index <c>r</c>, <c>y[r, d] = (x[r, d] - mean_r) / sqrt(var_r + eps) * weight[d] + bias[d]</c>, with the
    /// mean and biased variance over the <c>D</c> trailing elements.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input; its trailing dimensions must equal <paramref name="normalizedShape"/>.</param>
    /// <param name="normalizedShape">The shape of the normalised trailing dimensions, e.g. <c>[features]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="weight">The elementwise scale shaped <paramref name="normalizedShape"/>, or null for 1.</param>
    /// <param name="bias">The elementwise shift shaped <paramref name="normalizedShape"/>, or null for 0.</param>
    /// <param name="eps">Added to the variance, positive.</param>
    /// <returns>The normalised tensor, shaped like <paramref name="x"/>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.layer_norm(x, normalized_shape, weight, bias, eps)</c>. One tape entry;
    /// statistics summed in double. Backward, with <c>h = g * weight</c>:
    /// <c>dx = invstd (h - mean(h) - xhat mean(h xhat))</c>, <c>dweight = sum_r g xhat</c>, <c>dbias = sum_r g</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">The trailing dimensions of <paramref name="x"/> differ from <paramref name="normalizedShape"/>,
    /// or the weight or bias is not shaped like it; the message names the shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eps"/> is not positive.</exception>
    public static Tensor<T> LayerNorm<T>(this Tensor<T> x, Shape normalizedShape, Tensor<T>? weight = null, Tensor<T>? bias = null, double eps = 1e-5)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        NormalizationLayout layout = CheckLayerNorm(x, normalizedShape, weight, bias, eps);
        int rows = layout.Groups, features = layout.Inner;
        var mean = new double[rows];
        var invstd = new double[rows];
        ReadOnlySpan<T> input = x.KernelReadSpan; // x, weight and bias stay reachable: Tape.ShouldRecord reads them after
        ReadOnlySpan<T> w = weight is null ? default : weight.KernelReadSpan, b = bias is null ? default : bias.KernelReadSpan;
        var output = Tensor<T>.Uninitialized(x.Shape);
        Span<T> y = output.KernelWriteSpan;
        for (int r = 0; r < rows; r++)
        {
            (mean[r], double variance) = layout.Moments(input, r);
            invstd[r] = 1 / Math.Sqrt(variance + eps);
            int start = r * features;
            for (int d = 0; d < features; d++)
            {
                double xhat = (double.CreateTruncating(input[start + d]) - mean[r]) * invstd[r];
                double scale = w.IsEmpty ? 1 : double.CreateTruncating(w[d]);
                double shift = b.IsEmpty ? 0 : double.CreateTruncating(b[d]);
                y[start + d] = T.CreateTruncating((xhat * scale) + shift);
            }
        }

        bool record = Tape.ShouldRecord(x) || (weight is not null && Tape.ShouldRecord(weight)) || (bias is not null && Tape.ShouldRecord(bias));
        if (record)
        {
            LayerNormBackward<T> node = LayerNormBackward<T>.Create(output, layout, mean, invstd, x, weight, bias);
            node.Eps = eps;
            Tape.Record(node);
        }

        return output;
    }

    private static NormalizationLayout CheckLayerNorm<T>(Tensor<T> x, Shape normalizedShape, Tensor<T>? weight, Tensor<T>? bias, double eps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Rank;
        if (k == 0 || x.Rank < k || !x.Shape.Dims[(x.Rank - k)..].SequenceEqual(normalizedShape.Dims))
        {
            throw new ArgumentException($"LayerNorm: the input {x.Shape} must end with the normalized shape {normalizedShape} (of rank 1 or more).", nameof(normalizedShape));
        }

        foreach (var (tensor, what) in new[] { (weight, "weight"), (bias, "bias") })
        {
            if (tensor is not null && !tensor.Shape.Equals(normalizedShape))
            {
                throw new ArgumentException($"LayerNorm: the {what} is {tensor.Shape} but must be the normalized shape {normalizedShape}.");
            }
        }

        if (!(eps > 0) || !double.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "LayerNorm: eps must be finite and positive.");
        }

        int features = normalizedShape.ElementCount;
        return new NormalizationLayout(1, features == 0 ? 0 : x.Count / features, features);
    }
}

/// <summary>Backward of layer normalisation; saves the input, the weight and each row's mean and 1/std.</summary>
file sealed class LayerNormBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly NormalizationLayout _layout;
    private readonly double[] _mean, _invstd;
    private readonly int _weightIndex, _biasIndex;

    private LayerNormBackward(Tensor<T> output, NormalizationLayout layout, double[] mean, double[] invstd, int weightIndex, int biasIndex,
        params ReadOnlySpan<Tensor<T>> inputs)
        : base(output, inputs) => (_layout, _mean, _invstd, _weightIndex, _biasIndex) = (layout, mean, invstd, weightIndex, biasIndex);

    public override string OpName => "LayerNorm";

    /// <summary>The forward's eps, for the differentiable backward's recomputation.</summary>
    public double Eps { get; set; }

    // The forward again in primitive ops (rows of the normalized features), differentiated with createGraph.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => Derivatives.ByRecomputation(Inputs, gradOutput, inputs =>
    {
        int rows = _layout.Groups, features = _layout.Inner;
        Tensor<T> x = inputs[0].Reshape(rows, features);
        Tensor<T> centered = x.Sub(x.Mean(1, keepDim: true));
        Tensor<T> y = centered.Div(centered.Mul(centered).Mean(1, keepDim: true).Add(T.CreateTruncating(Eps)).Sqrt());
        if (_weightIndex >= 0)
        {
            y = y.Mul(inputs[_weightIndex].Reshape(1, features));
        }

        if (_biasIndex >= 0)
        {
            y = y.Add(inputs[_biasIndex].Reshape(1, features));
        }

        return y.Reshape(inputs[0].Shape.ToArray());
    });

    public static LayerNormBackward<T> Create(Tensor<T> output, NormalizationLayout layout, double[] mean, double[] invstd, Tensor<T> x, Tensor<T>? weight, Tensor<T>? bias)
    {
        int weightIndex = weight is null ? -1 : 1;
        int biasIndex = bias is null ? -1 : weight is null ? 1 : 2;
        return (weight, bias) switch
        {
            (null, null) => new(output, layout, mean, invstd, weightIndex, biasIndex, x),
            (null, _) => new(output, layout, mean, invstd, weightIndex, biasIndex, x, bias),
            (_, null) => new(output, layout, mean, invstd, weightIndex, biasIndex, x, weight),
            _ => new(output, layout, mean, invstd, weightIndex, biasIndex, x, weight, bias),
        };
    }

    // xhat = (x - mean) invstd per row, y = w xhat + b. With h = g w: dx = invstd (h - mean(h) - xhat mean(h xhat)),
    // dw[d] = sum_r g xhat, db[d] = sum_r g.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan, g = GradOutput;
        ReadOnlySpan<T> w = _weightIndex >= 0 ? Inputs[_weightIndex].KernelReadSpan : default;
        Span<T> gradW = _weightIndex >= 0 && NeedsGrad(_weightIndex) ? GradFor(_weightIndex) : default;
        Span<T> gradB = _biasIndex >= 0 && NeedsGrad(_biasIndex) ? GradFor(_biasIndex) : default;
        bool accumulateX = false;
        Span<T> gradX = NeedsGrad(0) ? GradFor(0, out accumulateX) : default;
        int features = _layout.Inner;
        for (int r = 0; r < _layout.Groups; r++)
        {
            int start = r * features;
            for (int d = 0; d < features && !(gradW.IsEmpty && gradB.IsEmpty); d++)
            {
                double xhat = (double.CreateTruncating(x[start + d]) - _mean[r]) * _invstd[r];
                if (!gradW.IsEmpty)
                {
                    gradW[d] += T.CreateTruncating(double.CreateTruncating(g[start + d]) * xhat);
                }

                if (!gradB.IsEmpty)
                {
                    gradB[d] += g[start + d];
                }
            }

            if (!gradX.IsEmpty)
            {
                var (sumH, sumHXhat) = _layout.GradSums(x, g, w, r, _mean[r], _invstd[r]);
                _layout.InputGrad(x, g, w, 1, gradX, accumulateX, r, _mean[r], _invstd[r], sumH, sumHXhat);
            }
        }
    }
}
