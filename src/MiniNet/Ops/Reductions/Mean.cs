using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The mean of every element, as a scalar: <c>out = (sum_i x[i]) / N</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A rank-0 tensor; NaN (0 / 0) when <paramref name="x"/> is empty, as in PyTorch.</returns>
    /// <remarks>PyTorch: <c>torch.mean(x)</c> / <c>x.mean()</c>. Backward gives every element <c>gradOutput / N</c>.</remarks>
    public static Tensor<T> Mean<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = new Tensor<T>(Shape.Scalar);
        output.KernelWriteSpan[0] = TensorPrimitives.Sum(x.KernelReadSpan) / T.CreateChecked(x.Count);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new MeanBackward<T>(output, x, 1, x.Count, 1));
        }

        return output;
    }

    /// <summary>The mean along one axis: <c>out[..., i, ...] = (sum_j x[..., j, i, ...]) / n</c>, <c>n</c> the size of <paramref name="axis"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to reduce; negative counts from the end (<c>-1</c> is the last).</param>
    /// <param name="keepDim">Keep the reduced axis with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The means; NaN along an empty axis, as in PyTorch.</returns>
    /// <remarks>PyTorch: <c>torch.mean(x, dim, keepdim)</c>. A scalar accepts axis 0 or -1 and returns itself.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Mean<T>(this Tensor<T> x, int axis, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (int outer, int n, int inner, Shape shape) = Reduce.Split(x.Shape, axis, keepDim, nameof(Mean));
        var output = new Tensor<T>(shape);
        Span<T> y = output.KernelWriteSpan;
        Reduce.SumAxis(x.KernelReadSpan, y, outer, n, inner);
        TensorPrimitives.Divide(y, T.CreateChecked(n), y);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new MeanBackward<T>(output, x, outer, n, inner));
        }

        return output;
    }

    /// <summary>The mean over several axes at once: the sum over them divided by the number of elements summed.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axes">The axes to reduce, each at most once, negative counting from the end; empty reduces every axis (as PyTorch's <c>dim=[]</c>).</param>
    /// <param name="keepDim">Keep the reduced axes with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The means; NaN over empty axes, as in PyTorch.</returns>
    /// <remarks>PyTorch: <c>torch.mean(x, dim=(...), keepdim)</c>. Backward gives every element <c>gradOutput / count</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">An axis appears twice.</exception>
    public static Tensor<T> Mean<T>(this Tensor<T> x, int[] axes, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        var reduced = ReducedAxes.Of(x.Shape, axes, keepDim, nameof(Mean));
        return SumOverAxes(x, reduced, T.One / T.CreateChecked(reduced.Count), nameof(Mean));
    }
}

/// <summary>Backward of a mean along an axis (the whole tensor is the case <c>outer = inner = 1</c>).</summary>
file sealed class MeanBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _outer, _n, _inner;

    public MeanBackward(Tensor<T> output, Tensor<T> x, int outer, int n, int inner)
        : base(output, x)
    {
        (_outer, _n, _inner) = (outer, n, inner);
        SaveForBackward(output: false);
    }

    public override string OpName => "Mean";

    // d((1/n) sum_j x[o, j, i])/dx[o, j, i] = 1/n: grad[o, j, i] += g[o, i] / n. With n = 0 there is nothing to write.
    public override void Backward()
    {
        if (_n == 0)
        {
            return;
        }

        Reduce.AccumulateAlongAxis(GradOutput, GradFor(0), _outer, _n, _inner, T.One / T.CreateChecked(_n));
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Derivatives.ExpandTo(gradOutput.Reshape(_outer, 1, _inner), new Shape(_outer, _n, _inner)).Mul(T.One / T.CreateChecked(Math.Max(_n, 1))).Reshape(Inputs[0].Shape.ToArray())];
}
