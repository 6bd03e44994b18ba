using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>
/// Helpers for reductions along one axis. A row-major tensor reduced along <c>axis</c> is viewed as
/// <c>[outer, n, inner]</c> (an <see cref="AxisLayout"/>): element <c>(o, j, i)</c> sits at <c>(o * n + j) * inner + i</c>.
/// </summary>
internal static class Reduce
{
    /// <summary>
    /// Validates <paramref name="axis"/> against <paramref name="shape"/> and returns the <c>[outer, n, inner]</c> view
    /// and the output shape. A scalar accepts axis 0 or -1 and reduces to a scalar, as PyTorch does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c> (<c>[-1, 0]</c> for a scalar).</exception>
    public static (int Outer, int N, int Inner, Shape Output) Split(Shape shape, int axis, bool keepDim, string op)
    {
        AxisLayout layout = AxisLayout.Of(shape, axis, op, out int a);
        if (shape.Rank == 0)
        {
            return (1, 1, 1, Shape.Scalar);
        }

        ReadOnlySpan<int> dims = shape.Dims;
        int[] outDims;
        if (keepDim)
        {
            outDims = shape.ToArray();
            outDims[a] = 1;
        }
        else
        {
            outDims = new int[dims.Length - 1];
            dims[..a].CopyTo(outDims);
            dims[(a + 1)..].CopyTo(outDims.AsSpan(a));
        }

        return (layout.Outer, layout.Length, layout.Inner, Shape.Of(outDims));
    }

    /// <summary><c>y[o, i] = sum_j x[o, j, i]</c>; <paramref name="y"/> (<c>outer * inner</c> elements) is overwritten.</summary>
    public static void SumAxis<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        y.Clear();
        if (inner == 1)
        {
            // Reducing the last axis: each output is the sum of one contiguous row.
            for (int o = 0; o < outer; o++)
            {
                y[o] = TensorPrimitives.Sum(x.Slice(o * n, n));
            }

            return;
        }

        for (int o = 0; o < outer; o++)
        {
            Span<T> row = y.Slice(o * inner, inner);
            for (int j = 0; j < n; j++)
            {
                InPlace.Add(row, x.Slice(((o * n) + j) * inner, inner));
            }
        }
    }

    /// <summary><c>grad[o, j, i] += scale * g[o, i]</c> for every <c>j</c>: the backward of a sum (or mean) along the axis.</summary>
    public static void AccumulateAlongAxis<T>(ReadOnlySpan<T> g, Span<T> grad, int outer, int n, int inner, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> source = g.Slice(o * inner, inner);
            for (int j = 0; j < n; j++)
            {
                Span<T> destination = grad.Slice(((o * n) + j) * inner, inner);
                InPlace.Axpy(destination, scale, source);
            }
        }
    }
}
