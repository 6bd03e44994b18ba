using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>Softmax-family kernels along one axis, shared by Softmax, LogSoftmax and CrossEntropy.</summary>
internal static class SoftmaxKernel
{
    /// <summary>
    /// <c>y = softmax(x)</c> or, when <paramref name="log"/>, <c>y = log_softmax(x)</c>, along the layout's axis.
    /// The slice maximum is subtracted first so no exponent is positive: nothing overflows, and the largest term is ~1,
    /// so the sum is at least 1 and its logarithm is finite.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, AxisLayout layout, bool log)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = layout.Length, inner = layout.Inner, block = layout.Block;
        if (n == 0 || inner == 0 || layout.Outer == 0)
        {
            return;
        }

        if (n == 1 && log)
        {
            // A one-element axis gives exactly 0 (NaN for a non-finite input), as in PyTorch. The general path would
            // give log(exp(0)), and the vectorised float exp returned slightly less than 1 there (measured: -1.2e-7).
            TensorPrimitives.Subtract(x, x, y);
            return;
        }

        T[] scratch = BufferPool<T>.Rent(inner == 1 ? n : 4 * inner);
        for (int o = 0; o < layout.Outer; o++)
        {
            ReadOnlySpan<T> xs = x.Slice(o * block, block);
            Span<T> ys = y.Slice(o * block, block);
            if (inner == 1)
            {
                ForwardRow(xs, ys, scratch, log);
            }
            else
            {
                ForwardStrided(xs, ys, n, inner, scratch, log);
            }
        }

        BufferPool<T>.Return(scratch);
    }

    /// <summary>
    /// <c>log(sum(exp(row)))</c> as <c>m + log1p(r)</c>: <c>m = max(row)</c> and <c>r</c> the sum of <c>exp(row - m)</c>
    /// over every element but (the first) maximum, whose term is exactly 1. <c>LogOnePlusRest = log1p(r)</c> is returned
    /// apart, so a caller can form <c>(m - z) + log1p(r)</c> without the rounding of <c>m + log1p(r)</c> (CrossEntropy
    /// of a confident right answer: a tiny loss, not 0). Scratch holds at least <c>row.Length</c> elements.
    /// </summary>
    public static (T Max, T LogOnePlusRest) LogSumExp<T>(ReadOnlySpan<T> row, Span<T> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (row.IsEmpty)
        {
            return (T.NegativeInfinity, T.Zero);
        }

        int argmax = TensorPrimitives.IndexOfMax(row);
        T max = row[argmax];
        Span<T> shifted = scratch[..row.Length];
        TensorPrimitives.Subtract(row, max, shifted);
        TensorPrimitives.Exp(shifted, shifted);
        shifted[argmax] = T.Zero;
        return (max, VectorMath.Log1P(TensorPrimitives.Sum<T>(shifted)));
    }

    /// <summary><c>sums[o * Inner + i] = sum_k a[o, k, i] * b[o, k, i]</c>, or <c>sum_k a[o, k, i]</c> when <paramref name="b"/> is empty.</summary>
    public static void SumAlongAxis<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> sums, AxisLayout layout)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = layout.Length, inner = layout.Inner, block = layout.Block;
        sums.Clear();
        if (inner == 1)
        {
            // The axis is the last one: each slice is contiguous, one vectorised reduction per slice.
            for (int o = 0; o < layout.Outer; o++)
            {
                ReadOnlySpan<T> row = a.Slice(o * n, n);
                sums[o] = b.IsEmpty ? TensorPrimitives.Sum(row) : TensorPrimitives.Dot(row, b.Slice(o * n, n));
            }

            return;
        }

        for (int o = 0; o < layout.Outer; o++)
        {
            Span<T> sum = sums.Slice(o * inner, inner);
            for (int k = 0; k < n; k++)
            {
                int start = (o * block) + (k * inner);
                if (b.IsEmpty)
                {
                    TensorPrimitives.Add(sum, a.Slice(start, inner), sum);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(a.Slice(start, inner), b.Slice(start, inner), sum, sum);
                }
            }
        }
    }

    private static void ForwardRow<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> scratch, bool log)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        if (log)
        {
            Span<T> exps = scratch[..x.Length];
            TensorPrimitives.Exp(y, exps);

            // The max's own term is exactly 1: log1p of the others keeps a dominant element's result (near 0) accurate.
            exps[TensorPrimitives.IndexOfMax<T>(y)] = T.Zero;
            TensorPrimitives.Subtract(y, VectorMath.Log1P(TensorPrimitives.Sum<T>(exps)), y);
        }
        else
        {
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
        }
    }

    // The n values of a slice are inner apart, so work on whole rows of length inner: each TensorPrimitives call
    // advances all inner slices by one step along the axis, and stays vectorised.
    private static void ForwardStrided<T>(ReadOnlySpan<T> x, Span<T> y, int n, int inner, Span<T> scratch, bool log)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Span<T> max = scratch[..inner], sum = scratch.Slice(inner, inner), exps = scratch.Slice(2 * inner, inner);
        Span<T> excluded = scratch.Slice(3 * inner, inner);
        x[..inner].CopyTo(max);
        for (int k = 1; k < n; k++)
        {
            TensorPrimitives.Max(max, x.Slice(k * inner, inner), max);
        }

        sum.Clear();
        excluded.Clear();
        for (int k = 0; k < n; k++)
        {
            Span<T> row = y.Slice(k * inner, inner);
            TensorPrimitives.Subtract(x.Slice(k * inner, inner), max, row);
            if (log)
            {
                // As the row path: leave out each slice's (first) maximum, whose term is exactly 1, and take log1p of the
                // rest, so a dominant element's result (near 0) stays accurate relative to itself.
                TensorPrimitives.Exp(row, exps);
                for (int i = 0; i < inner; i++)
                {
                    if (row[i] == T.Zero && excluded[i] == T.Zero)
                    {
                        exps[i] = T.Zero;
                        excluded[i] = T.One;
                    }
                }

                TensorPrimitives.Add(sum, exps, sum);
            }
            else
            {
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Add(sum, row, sum);
            }
        }

        if (log)
        {
            // Scalar log1p, one per slice (as the row path takes): cheap next to the n * inner exponentials.
            for (int i = 0; i < inner; i++)
            {
                sum[i] = VectorMath.Log1P(sum[i]);
            }
        }

        for (int k = 0; k < n; k++)
        {
            Span<T> row = y.Slice(k * inner, inner);
            if (log)
            {
                TensorPrimitives.Subtract(row, sum, row);
            }
            else
            {
                TensorPrimitives.Divide(row, sum, row);
            }
        }
    }
}
