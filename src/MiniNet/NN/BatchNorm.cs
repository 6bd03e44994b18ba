using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// Batch normalisation over channel axis 1 with learnable per-channel scale and shift and running statistics;
/// <see cref="BatchNorm1d{T}"/> and <see cref="BatchNorm2d{T}"/> fix the input rank. In training mode the batch's
/// statistics normalise and update the running ones; in evaluation mode (<see cref="Module{T}.Eval"/>) the running
/// statistics normalise.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.modules.batchnorm._BatchNorm</c>, with its state-dict names: parameters <c>weight</c> (ones)
/// and <c>bias</c> (zeros) when affine; buffers <c>running_mean</c> (zeros), <c>running_var</c> (ones) and the scalar
/// <c>num_batches_tracked</c> when tracking (an integer in PyTorch, here a <typeparamref name="T"/> holding a whole
/// number, exact up to 2^24 batches in float). With <c>momentum: null</c> the running statistics are the cumulative
/// average (factor <c>1 / num_batches_tracked</c>). Forward is the fused <see cref="Ops.BatchNorm{T}"/>.
/// </remarks>
public abstract class BatchNorm<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The channel count <c>C</c>, positive.</param>
    /// <param name="eps">Added to the variance, positive.</param>
    /// <param name="momentum">The running-average factor in <c>[0, 1]</c>, or null for a cumulative average.</param>
    /// <param name="affine">Learn a per-channel scale and shift.</param>
    /// <param name="trackRunningStats">Keep running statistics (and use them in evaluation mode); without them the batch statistics are always used.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        if (!(eps > 0) || !double.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be finite and positive.");
        }

        if (momentum is { } m && !(m >= 0 && m <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), m, "momentum must be in [0, 1] (or null for a cumulative average).");
        }

        (NumFeatures, Eps, Momentum) = (numFeatures, eps, momentum);
        Weight = affine ? RegisterParameter("weight", Tensor.Ones<T>(numFeatures)) : null;
        Bias = affine ? RegisterParameter("bias", Tensor.Zeros<T>(numFeatures)) : null;
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros<T>(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones<T>(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros<T>());
        }
    }

    /// <summary>The channel count <c>C</c>.</summary>
    public int NumFeatures { get; }

    /// <summary>The variance term <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>The running-average factor, or null for a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>The scale <c>[C]</c> (PyTorch: <c>weight</c>), or null when not affine.</summary>
    public Tensor<T>? Weight { get; }

    /// <summary>The shift <c>[C]</c> (PyTorch: <c>bias</c>), or null when not affine.</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>The running mean buffer <c>[C]</c>, or null when not tracking.</summary>
    public Tensor<T>? RunningMean { get; }

    /// <summary>The running (unbiased) variance buffer <c>[C]</c>, or null when not tracking.</summary>
    public Tensor<T>? RunningVar { get; }

    /// <summary>The number of training batches seen, a scalar buffer, or null when not tracking.</summary>
    public Tensor<T>? NumBatchesTracked { get; }

    /// <summary>The input ranks the layer accepts, for the error message.</summary>
    protected abstract string ExpectedInput { get; }

    /// <summary>Whether <paramref name="rank"/> is an accepted input rank.</summary>
    /// <param name="rank">The input's rank.</param>
    /// <returns>True when accepted.</returns>
    protected abstract bool AcceptsRank(int rank);

    /// <summary>Normalises <paramref name="input"/> (see the class summary for training vs evaluation).</summary>
    /// <param name="input">The batch, <c>[N, C, ...]</c> of an accepted rank.</param>
    /// <returns>The normalised batch.</returns>
    /// <exception cref="ArgumentException">The rank or channel count is wrong, or training sees one value per channel; the message names the shape.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Shape.Dims[1] != NumFeatures)
        {
            throw new ArgumentException($"{GetType().Name}({NumFeatures}) expects {ExpectedInput} with C = {NumFeatures}, got {input.Shape}.", nameof(input));
        }

        double factor = Momentum ?? 0;
        if (IsTraining && NumBatchesTracked is not null)
        {
            Span<T> count = NumBatchesTracked.AsSpanForWrite();
            count[0] += T.One;
            factor = Momentum ?? 1 / double.CreateTruncating(count[0]);
        }

        bool batchStatistics = IsTraining || RunningMean is null;
        return input.BatchNorm(RunningMean, RunningVar, Weight, Bias, batchStatistics, factor, Eps);
    }
}

/// <summary>Batch normalisation of <c>[N, C]</c> or <c>[N, C, L]</c> inputs, per channel over the batch (and length).</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.BatchNorm1d(num_features, eps, momentum, affine, track_running_stats)</c>.</remarks>
public class BatchNorm1d<T> : BatchNorm<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc cref="BatchNorm{T}(int, double, double?, bool, bool)"/>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    /// <inheritdoc/>
    protected override string ExpectedInput => "[N, C] or [N, C, L]";

    /// <inheritdoc/>
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}

/// <summary>Batch normalisation of <c>[N, C, H, W]</c> inputs, per channel over the batch and all positions.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.BatchNorm2d(num_features, eps, momentum, affine, track_running_stats)</c>.</remarks>
public class BatchNorm2d<T> : BatchNorm<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc cref="BatchNorm{T}(int, double, double?, bool, bool)"/>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    /// <inheritdoc/>
    protected override string ExpectedInput => "[N, C, H, W]";

    /// <inheritdoc/>
    protected override bool AcceptsRank(int rank) => rank == 4;
}

/// <summary>A float <see cref="BatchNorm1d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.BatchNorm1d</c>.</remarks>
public sealed class BatchNorm1d : BatchNorm1d<float>
{
    /// <inheritdoc cref="BatchNorm{T}(int, double, double?, bool, bool)"/>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }
}

/// <summary>A float <see cref="BatchNorm2d{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.BatchNorm2d</c>.</remarks>
public sealed class BatchNorm2d : BatchNorm2d<float>
{
    /// <inheritdoc cref="BatchNorm{T}(int, double, double?, bool, bool)"/>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }
}
