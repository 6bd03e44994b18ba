using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Sums every element into a scalar: <c>out = sum_i x[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A rank-0 tensor; 0 when <paramref name="x"/> is empty.</returns>
    /// <remarks>PyTorch: <c>torch.sum(x)</c> / <c>x.sum()</c>. Backward gives every element the upstream gradient.</remarks>
    public static Tensor<T> Sum<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = new Tensor<T>(Shape.Scalar);
        output.KernelWriteSpan[0] = TensorPrimitives.Sum(x.KernelReadSpan);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SumBackward<T>(output, x, 1, x.Count, 1));
        }

        return output;
    }

    /// <summary>Sums along one axis: <c>out[..., i, ...] = sum_j x[..., j, i, ...]</c> with <c>j</c> running over <paramref name="axis"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to reduce; negative counts from the end (<c>-1</c> is the last).</param>
    /// <param name="keepDim">Keep the reduced axis with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The sums; an empty axis sums to 0.</returns>
    /// <remarks>PyTorch: <c>torch.sum(x, dim, keepdim)</c>. A scalar accepts axis 0 or -1 and returns itself, as in PyTorch.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Sum<T>(this Tensor<T> x, int axis, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (int outer, int n, int inner, Shape shape) = Reduce.Split(x.Shape, axis, keepDim, nameof(Sum));
        var output = new Tensor<T>(shape);
        Reduce.SumAxis(x.KernelReadSpan, output.KernelWriteSpan, outer, n, inner);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SumBackward<T>(output, x, outer, n, inner));
        }

        return output;
    }

    /// <summary>Sums over several axes at once: <c>out[kept indices] = sum over the reduced axes of x</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axes">The axes to reduce, each at most once, negative counting from the end; empty reduces every axis (as PyTorch's <c>dim=[]</c>).</param>
    /// <param name="keepDim">Keep the reduced axes with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The sums; empty axes sum to 0.</returns>
    /// <remarks>PyTorch: <c>torch.sum(x, dim=(...), keepdim)</c>. Backward broadcasts the gradient back over the reduced axes.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">An axis appears twice.</exception>
    public static Tensor<T> Sum<T>(this Tensor<T> x, int[] axes, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        return SumOverAxes(x, ReducedAxes.Of(x.Shape, axes, keepDim, nameof(Sum)), T.One, nameof(Sum));
    }

    /// <summary><c>scale * sum</c> over the reduced axes (Sum with scale 1, Mean with 1 / count), recorded as <paramref name="op"/>.</summary>
    internal static Tensor<T> SumOverAxes<T>(Tensor<T> x, ReducedAxes axes, T scale, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = new Tensor<T>(axes.Output);
        Span<T> y = output.KernelWriteSpan;
        Broadcast.AccumulateSumTo<T>(x.KernelReadSpan, x.Shape, y, axes.Kept);
        if (scale != T.One)
        {
            InPlace.Scale(y, scale);
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SumOverAxesBackward<T>(output, x, axes, scale, op));
        }

        return output;
    }
}

/// <summary>Backward of a (scaled) sum over several axes.</summary>
file sealed class SumOverAxesBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ReducedAxes _axes;
    private readonly T _scale;

    public SumOverAxesBackward(Tensor<T> output, Tensor<T> x, ReducedAxes axes, T scale, string op)
        : base(output, x)
    {
        (_axes, _scale, OpName) = (axes, scale, op);
        SaveForBackward(output: false);
    }

    public override string OpName { get; }

    // d(c sum_r x[k, r])/dx[k, r] = c: the gradient broadcast back over the reduced axes, grad[k, r] += c g[k].
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        T[] buffer = BufferPool<T>.Rent(grad.Length);
        Span<T> expanded = buffer.AsSpan(0, grad.Length);
        Broadcast.Expand(GradOutput, _axes.Kept, expanded, _axes.Input);
        InPlace.Axpy(grad, _scale, expanded);
        BufferPool<T>.Return(buffer);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> g = gradOutput.Shape == _axes.Kept ? gradOutput : gradOutput.Reshape(_axes.Kept.ToArray());
        Tensor<T> expanded = Derivatives.ExpandTo(g, _axes.Input);
        return [_scale == T.One ? expanded : expanded.Mul(_scale)];
    }
}

/// <summary>Backward of a sum along an axis (the whole tensor is the case <c>outer = inner = 1</c>).</summary>
file sealed class SumBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _outer, _n, _inner;

    public SumBackward(Tensor<T> output, Tensor<T> x, int outer, int n, int inner)
        : base(output, x)
    {
        (_outer, _n, _inner) = (outer, n, inner);
        SaveForBackward(output: false);
    }

    public override string OpName => "Sum";

    // d(sum_j x[o, j, i])/dx[o, j, i] = 1: each summed element gets its output's gradient, grad[o, j, i] += g[o, i].
    public override void Backward() => Reduce.AccumulateAlongAxis(GradOutput, GradFor(0), _outer, _n, _inner, T.One);

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Derivatives.ExpandTo(gradOutput.Reshape(_outer, 1, _inner), new Shape(_outer, _n, _inner)).Reshape(Inputs[0].Shape.ToArray())];
}
