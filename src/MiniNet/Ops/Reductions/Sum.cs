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
        output.Span[0] = TensorPrimitives.Sum(x.AsReadOnlySpan());
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
        Reduce.SumAxis(x.AsReadOnlySpan(), output.Span, outer, n, inner);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SumBackward<T>(output, x, outer, n, inner));
        }

        return output;
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
