using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The variance over <paramref name="axes"/>: <c>sum((x - mean)^2) / max(0, N - correction)</c>, N the number of
    /// elements reduced; <paramref name="correction"/> 1 (the default) is Bessel's unbiased estimate, 0 the population variance.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axes">The axes to reduce, each at most once, negative counting from the end; null or empty reduces every axis.</param>
    /// <param name="correction">Subtracted from N in the denominator; when it reaches N the result is +inf (NaN where every deviation is 0), as in PyTorch.</param>
    /// <param name="keepDim">Keep the reduced axes with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The variances.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.var(x, dim, correction=..., keepdim)</c>. Two passes (mean, then squared deviations), so no
    /// cancellation for data far from 0. Backward: <c>grad = g * 2 (x - mean) / (N - correction)</c>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">An axis appears twice.</exception>
    public static Tensor<T> Var<T>(this Tensor<T> x, int[]? axes = null, double correction = 1, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Variance(x, axes, correction, keepDim, std: false, nameof(Var));

    /// <summary>The variance along one axis; see <see cref="Var{T}(Tensor{T}, int[], double, bool)"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to reduce; negative counts from the end.</param>
    /// <param name="correction">Subtracted from the axis size in the denominator (1: unbiased).</param>
    /// <param name="keepDim">Keep the reduced axis with size 1.</param>
    /// <returns>The variances.</returns>
    /// <remarks>PyTorch: <c>torch.var(x, dim, correction=..., keepdim)</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Var<T>(this Tensor<T> x, int axis, double correction = 1, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Variance(x, [axis], correction, keepDim, std: false, nameof(Var));

    /// <summary>The standard deviation over <paramref name="axes"/>: <c>sqrt(Var(x, axes, correction))</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axes">The axes to reduce, each at most once; null or empty reduces every axis.</param>
    /// <param name="correction">Subtracted from N in the denominator (1: Bessel's correction); at N or above the result is +inf or NaN, as in PyTorch.</param>
    /// <param name="keepDim">Keep the reduced axes with size 1.</param>
    /// <returns>The standard deviations.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.std(x, dim, correction=..., keepdim)</c>. Backward: <c>g (x - mean) / ((N - correction) std)</c>,
    /// and 0 where the standard deviation is 0 (constant data), as PyTorch masks it, instead of 0/0.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">An axis appears twice.</exception>
    public static Tensor<T> Std<T>(this Tensor<T> x, int[]? axes = null, double correction = 1, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Variance(x, axes, correction, keepDim, std: true, nameof(Std));

    /// <summary>The standard deviation along one axis; see <see cref="Std{T}(Tensor{T}, int[], double, bool)"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to reduce; negative counts from the end.</param>
    /// <param name="correction">Subtracted from the axis size in the denominator (1: unbiased).</param>
    /// <param name="keepDim">Keep the reduced axis with size 1.</param>
    /// <returns>The standard deviations.</returns>
    /// <remarks>PyTorch: <c>torch.std(x, dim, correction=..., keepdim)</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Std<T>(this Tensor<T> x, int axis, double correction = 1, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Variance(x, [axis], correction, keepDim, std: true, nameof(Std));

    private static Tensor<T> Variance<T>(Tensor<T> x, int[]? axes, double correction, bool keepDim, bool std, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var reduced = ReducedAxes.Of(x.Shape, axes, keepDim, op);
        T dof = T.Max(T.Zero, T.CreateTruncating(reduced.Count - correction));

        // Accumulated in double, as PyTorch's CPU kernel does for float: squared deviations of 1e-20 (or 1e20) would
        // underflow (overflow) in float although the variance itself is representable.
        int count = x.Count;
        double[] values = BufferPool<double>.Rent(count);
        Span<double> wide = values.AsSpan(0, count);
        ReadOnlySpan<T> source = x.KernelReadSpan; // x stays reachable: x.Shape is read below
        for (int i = 0; i < count; i++)
        {
            wide[i] = double.CreateTruncating(source[i]);
        }

        var meanWide = new double[reduced.Kept.ElementCount];
        Broadcast.AccumulateSumTo<double>(wide, x.Shape, meanWide, reduced.Kept);
        TensorPrimitives.Divide(meanWide, reduced.Count, meanWide);
        double[] expanded = BufferPool<double>.Rent(count);
        Broadcast.Expand<double>(meanWide, reduced.Kept, expanded.AsSpan(0, count), x.Shape);
        TensorPrimitives.Subtract(wide, expanded.AsSpan(0, count), wide);
        var deviationSums = new double[reduced.Kept.ElementCount];
        Broadcast.AccumulateSumTo<double>(wide, x.Shape, deviationSums, reduced.Kept);
        TensorPrimitives.Multiply(wide, wide, wide);
        var sums = new double[reduced.Kept.ElementCount];
        Broadcast.AccumulateSumTo<double>(wide, x.Shape, sums, reduced.Kept);

        // The corrected two-pass formula: sum d^2 - (sum d)^2 / N removes the rounding error of the mean itself, so
        // identical values give exactly 0 (as PyTorch's Welford kernel does) instead of ~1e-32.
        for (int k = 0; k < sums.Length && reduced.Count > 0; k++)
        {
            sums[k] = Math.Max(0, sums[k] - (deviationSums[k] * deviationSums[k] / reduced.Count));
        }
        BufferPool<double>.Return(values);
        BufferPool<double>.Return(expanded);

        var output = new Tensor<T>(reduced.Output);
        Span<T> y = output.KernelWriteSpan;
        double denominator = Math.Max(0, reduced.Count - correction);
        for (int k = 0; k < sums.Length; k++)
        {
            double v = sums[k] / denominator;
            y[k] = T.CreateTruncating(std ? Math.Sqrt(v) : v);
        }

        T[] mean = Array.ConvertAll(meanWide, T.CreateTruncating);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new VarianceBackward<T>(output, x, reduced, mean, dof, std, op));
        }

        return output;
    }
}

/// <summary>Backward of Var and Std over several axes.</summary>
file sealed class VarianceBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ReducedAxes _axes;
    private readonly T[] _mean;
    private readonly T _dof;
    private readonly bool _std;

    public VarianceBackward(Tensor<T> output, Tensor<T> x, ReducedAxes axes, T[] mean, T dof, bool std, string op)
        : base(output, x)
    {
        (_axes, _mean, _dof, _std, OpName) = (axes, mean, dof, std, op);
        SaveForBackward(output: std, 0);
    }

    public override string OpName { get; }

    // var = sum (x - m)^2 / dof, and sum (x - m) = 0 kills the mean's own derivative: dvar/dx = 2 (x - m) / dof.
    // std = sqrt(var): dstd/dx = dvar/dx / (2 std), taken as 0 where std = 0 (PyTorch's mask).
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        int count = grad.Length;
        T[] upstream = _std ? ScaledByStd(GradOutput) : GradOutput.ToArray();
        T[] deviations = Deviation.FromMean(Inputs[0], _axes, _mean);
        T[] expanded = BufferPool<T>.Rent(count);
        Broadcast.Expand<T>(upstream, _axes.Kept, expanded.AsSpan(0, count), _axes.Input);
        T scale = T.CreateTruncating(2) / _dof;
        for (int i = 0; i < count; i++)
        {
            grad[i] += scale * expanded[i] * deviations[i];
        }

        BufferPool<T>.Return(expanded);
        BufferPool<T>.Return(deviations);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> upstream = gradOutput;
        if (_std)
        {
            // g / (2 std) where std != 0, else 0: the zero mask is constant, and adding it keeps the division finite.
            Tensor<T> zero = Derivatives.Constant(Output, s => s == T.Zero ? T.One : T.Zero);
            Tensor<T> nonZero = Derivatives.Constant(Output, s => s == T.Zero ? T.Zero : T.One);
            upstream = gradOutput.Div(Output.Add(zero).Mul(T.CreateTruncating(2))).Mul(nonZero);
        }

        Tensor<T> x = Inputs[0];
        Tensor<T> g = upstream.Shape == _axes.Kept ? upstream : upstream.Reshape(_axes.Kept.ToArray());
        Tensor<T> deviations = x.Sub(x.Mean(_axes.ReducedAxisList(), keepDim: true));
        return [Derivatives.ExpandTo(g, _axes.Input).Mul(deviations).Mul(T.CreateTruncating(2) / _dof)];
    }

    private T[] ScaledByStd(ReadOnlySpan<T> g)
    {
        ReadOnlySpan<T> std = Output.KernelReadSpan;
        var scaled = new T[g.Length];
        for (int k = 0; k < g.Length; k++)
        {
            scaled[k] = std[k] == T.Zero ? T.Zero : g[k] / (T.CreateTruncating(2) * std[k]);
        }

        return scaled;
    }
}

/// <summary>Deviations from the means over the reduced axes (a pooled buffer of the input's size).</summary>
file static class Deviation
{
    public static T[] FromMean<T>(Tensor<T> x, ReducedAxes axes, T[] mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] deviations = BufferPool<T>.Rent(x.Count);
        Span<T> d = deviations.AsSpan(0, x.Count);
        Broadcast.Expand<T>(mean, axes.Kept, d, axes.Input);
        TensorPrimitives.Subtract(x.KernelReadSpan, d, d);
        GC.KeepAlive(x); // kernel spans do not keep storage from the pool (see StoragePool)
        return deviations;
    }
}
