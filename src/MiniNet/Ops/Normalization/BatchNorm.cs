using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation of <c>x [N, C, ...]</c> per channel <c>c</c> over the batch and all positions:
    /// <c>y = (x - mean_c) / sqrt(var_c + eps) * weight_c + bias_c</c>. With <paramref name="training"/> the batch's
    /// mean and biased variance are used and, when running statistics are given, updated in place:
    /// <c>running_mean = (1 - momentum) running_mean + momentum mean</c>,
    /// <c>running_var = (1 - momentum) running_var + momentum var * m / (m - 1)</c> (unbiased, <c>m = N * positions</c>).
    /// Without it, the running statistics are used.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C]</c>, <c>[N, C, L]</c> or <c>[N, C, H, W]</c> (any rank of at least 2).</param>
    /// <param name="runningMean">The running mean <c>[C]</c>, or null (then <paramref name="training"/> must be true).</param>
    /// <param name="runningVar">The running variance <c>[C]</c>, given exactly when <paramref name="runningMean"/> is.</param>
    /// <param name="weight">The scale <c>[C]</c>, or null for 1.</param>
    /// <param name="bias">The shift <c>[C]</c>, or null for 0.</param>
    /// <param name="training">Normalise with the batch's statistics (and update the running ones) instead of the running ones.</param>
    /// <param name="momentum">The running-average factor in <c>[0, 1]</c> (PyTorch's <c>momentum</c>; pass <c>1 / batches</c> for a cumulative average).</param>
    /// <param name="eps">Added to the variance, positive.</param>
    /// <returns>The normalised tensor, shaped like <paramref name="x"/>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)</c>.
    /// One tape entry; statistics are summed in double. The running statistics are not differentiated (PyTorch:
    /// buffers). Backward with batch statistics:
    /// <c>dx = w invstd (g - mean(g) - xhat mean(g xhat))</c>, <c>dw = sum g xhat</c>, <c>db = sum g</c>; with running
    /// statistics <c>dx = w invstd g</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">A shape does not fit <c>[C]</c> for <paramref name="x"/>'s channel count, only
    /// one running statistic is given, evaluation is asked for without them, or training sees a single value per channel;
    /// the message names the shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="momentum"/> or <paramref name="eps"/> is out of range.</exception>
    public static Tensor<T> BatchNorm<T>(this Tensor<T> x, Tensor<T>? runningMean, Tensor<T>? runningVar, Tensor<T>? weight = null, Tensor<T>? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        NormalizationLayout layout = CheckBatchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
        int channels = layout.Groups;
        var mean = new double[channels];
        var invstd = new double[channels];
        ReadOnlySpan<T> input = x.KernelReadSpan; // x stays reachable: Tape.ShouldRecord reads it after
        var output = Tensor<T>.Uninitialized(x.Shape);
        Span<T> y = output.KernelWriteSpan;
        for (int c = 0; c < channels; c++)
        {
            double variance;
            if (training)
            {
                (mean[c], variance) = layout.Moments(input, c);
                if (runningMean is not null)
                {
                    int m = layout.Count;
                    Span<T> rm = runningMean.AsSpanForWrite(), rv = runningVar!.AsSpanForWrite();
                    rm[c] = T.CreateTruncating(((1 - momentum) * double.CreateTruncating(rm[c])) + (momentum * mean[c]));
                    rv[c] = T.CreateTruncating(((1 - momentum) * double.CreateTruncating(rv[c])) + (momentum * variance * m / (m - 1)));
                }
            }
            else
            {
                (mean[c], variance) = (double.CreateTruncating(runningMean!.AsReadOnlySpan()[c]), double.CreateTruncating(runningVar!.AsReadOnlySpan()[c]));
            }

            invstd[c] = 1 / Math.Sqrt(variance + eps);
            double w = weight is null ? 1 : double.CreateTruncating(weight.AsReadOnlySpan()[c]);
            double b = bias is null ? 0 : double.CreateTruncating(bias.AsReadOnlySpan()[c]);
            layout.Affine(input, y, c, mean[c], w * invstd[c], b);
        }

        bool record = Tape.ShouldRecord(x) || (weight is not null && Tape.ShouldRecord(weight)) || (bias is not null && Tape.ShouldRecord(bias));
        if (record)
        {
            BatchNormBackward<T> node = BatchNormBackward<T>.Create(output, layout, training, mean, invstd, x, weight, bias);
            node.Eps = eps;
            Tape.Record(node);
        }

        return output;
    }

    private static NormalizationLayout CheckBatchNorm<T>(Tensor<T> x, Tensor<T>? runningMean, Tensor<T>? runningVar, Tensor<T>? weight, Tensor<T>? bias,
        bool training, double momentum, double eps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2)
        {
            throw new ArgumentException($"BatchNorm needs an input [N, C, ...] of rank 2 or more, got {x.Shape}.", nameof(x));
        }

        int positions = 1;
        for (int i = 2; i < x.Rank; i++)
        {
            positions *= x.Shape.Dims[i];
        }

        int channels = x.Shape.Dims[1];
        var layout = new NormalizationLayout(x.Shape.Dims[0], channels, positions);
        CheckChannelVector(x, runningMean, "running mean", channels);
        CheckChannelVector(x, runningVar, "running var", channels);
        CheckChannelVector(x, weight, "weight", channels);
        CheckChannelVector(x, bias, "bias", channels);
        if ((runningMean is null) != (runningVar is null))
        {
            throw new ArgumentException("BatchNorm: give both running statistics (mean and var) or neither.", nameof(runningVar));
        }

        if (!training && runningMean is null)
        {
            throw new ArgumentException($"BatchNorm of {x.Shape}: evaluation (training: false) needs the running mean and var.", nameof(runningMean));
        }

        if (training && layout.Count <= 1)
        {
            throw new ArgumentException($"BatchNorm of {x.Shape}: training needs more than 1 value per channel (N x positions = {layout.Count}), as in PyTorch.", nameof(x));
        }

        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm: momentum must be in [0, 1].");
        }

        if (!(eps > 0) || !double.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNorm: eps must be finite and positive.");
        }

        return layout;
    }

    private static void CheckChannelVector<T>(Tensor<T> x, Tensor<T>? vector, string what, int channels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (vector is not null && (vector.Rank != 1 || vector.Shape.Dims[0] != channels))
        {
            throw new ArgumentException($"BatchNorm of {x.Shape}: the {what} is {vector.Shape} but must be [{channels}] (one per channel).");
        }
    }
}

/// <summary>Backward of batch normalisation; saves the input, the weight and the per-channel mean and 1/std it used.</summary>
file sealed class BatchNormBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly NormalizationLayout _layout;
    private readonly bool _batchStatistics;
    private readonly double[] _mean, _invstd;
    private readonly int _weightIndex, _biasIndex;

    private BatchNormBackward(Tensor<T> output, NormalizationLayout layout, bool batchStatistics, double[] mean, double[] invstd, int weightIndex, int biasIndex,
        params ReadOnlySpan<Tensor<T>> inputs)
        : base(output, inputs) =>
        (_layout, _batchStatistics, _mean, _invstd, _weightIndex, _biasIndex) = (layout, batchStatistics, mean, invstd, weightIndex, biasIndex);

    public override string OpName => "BatchNorm";

    /// <summary>The forward's eps, for the differentiable backward's recomputation.</summary>
    public double Eps { get; set; }

    // The forward again in primitive ops over an [N, C, positions] view: batch statistics are recomputed (they
    // depend on x), running statistics enter as the constants the forward used.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => Derivatives.ByRecomputation(Inputs, gradOutput, inputs =>
    {
        int n = _layout.Outer, channels = _layout.Groups, positions = _layout.Inner;
        Tensor<T> x = inputs[0].Reshape(n, channels, positions), y;
        if (_batchStatistics)
        {
            Tensor<T> centered = x.Sub(x.Mean(2, keepDim: true).Mean(0, keepDim: true));
            Tensor<T> variance = centered.Mul(centered).Mean(2, keepDim: true).Mean(0, keepDim: true);
            y = centered.Div(variance.Add(T.CreateTruncating(Eps)).Sqrt());
        }
        else
        {
            var mean = Tensor.FromArray(Array.ConvertAll(_mean, T.CreateTruncating), 1, channels, 1);
            var invstd = Tensor.FromArray(Array.ConvertAll(_invstd, T.CreateTruncating), 1, channels, 1);
            y = x.Sub(mean).Mul(invstd);
        }

        if (_weightIndex >= 0)
        {
            y = y.Mul(inputs[_weightIndex].Reshape(1, channels, 1));
        }

        if (_biasIndex >= 0)
        {
            y = y.Add(inputs[_biasIndex].Reshape(1, channels, 1));
        }

        return y.Reshape(inputs[0].Shape.ToArray());
    });

    public static BatchNormBackward<T> Create(Tensor<T> output, NormalizationLayout layout, bool batchStatistics, double[] mean, double[] invstd,
        Tensor<T> x, Tensor<T>? weight, Tensor<T>? bias)
    {
        int weightIndex = weight is null ? -1 : 1;
        int biasIndex = bias is null ? -1 : weight is null ? 1 : 2;
        return (weight, bias) switch
        {
            (null, null) => new(output, layout, batchStatistics, mean, invstd, weightIndex, biasIndex, x),
            (null, _) => new(output, layout, batchStatistics, mean, invstd, weightIndex, biasIndex, x, bias),
            (_, null) => new(output, layout, batchStatistics, mean, invstd, weightIndex, biasIndex, x, weight),
            _ => new(output, layout, batchStatistics, mean, invstd, weightIndex, biasIndex, x, weight, bias),
        };
    }

    // xhat = (x - mean) invstd, y = w xhat + b. dw = sum g xhat, db = sum g; with batch statistics the mean and var
    // depend on x: dx = w invstd (g - mean(g) - xhat mean(g xhat)); with running statistics dx = w invstd g.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan, g = GradOutput;
        bool accumulateX = false;
        Span<T> gradX = NeedsGrad(0) ? GradFor(0, out accumulateX) : default;
        Span<T> gradW = _weightIndex >= 0 && NeedsGrad(_weightIndex) ? GradFor(_weightIndex) : default;
        Span<T> gradB = _biasIndex >= 0 && NeedsGrad(_biasIndex) ? GradFor(_biasIndex) : default;
        for (int c = 0; c < _layout.Groups; c++)
        {
            var (sumG, sumGXhat) = _layout.GradSums(x, g, ReadOnlySpan<T>.Empty, c, _mean[c], _invstd[c]);
            if (!gradW.IsEmpty)
            {
                gradW[c] += T.CreateTruncating(sumGXhat);
            }

            if (!gradB.IsEmpty)
            {
                gradB[c] += T.CreateTruncating(sumG);
            }

            if (!gradX.IsEmpty)
            {
                double w = _weightIndex >= 0 ? double.CreateTruncating(Inputs[_weightIndex].KernelReadSpan[c]) : 1;
                _layout.InputGrad(x, g, ReadOnlySpan<T>.Empty, w, gradX, accumulateX, c, _mean[c], _invstd[c],
                    _batchStatistics ? w * sumG : 0, _batchStatistics ? w * sumGXhat : 0);
            }
        }
    }
}
