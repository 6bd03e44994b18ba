using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// Max pooling's common case, a 2x2 window with stride 2 and no padding, with the argmax of each window (the flat
/// index <c>ih W + iw</c> in its plane). Each window's taps are taken in row-major order and a tap replaces the
/// maximum when it is larger or NaN (PyTorch's rule), so ties go to the first tap and NaN propagates.
/// </summary>
/// <remarks>
/// float with Vector512 runs 8 windows per step: one load per input row, one permute that puts the even columns in the
/// lower half and the odd ones in the upper, and the same three compare-and-selects as the scalar loop, lane by lane,
/// so values and indices are identical. The scalar loop's compares are data-dependent branches that mispredict on real
/// activations: measured on 64 x 64 planes of 24 x 24 (the MNIST CNN, B=64, load ~6) it took 12 ms, as long as the
/// convolution before it, against 0.3 ms for the backward scatter; this path 0.4 ms (the MaxPool2d op on ReLU outputs,
/// no grad, load 7.5: 9.6 / 13.0 ms before, 0.38 / 0.56 ms after, two runs).
/// </remarks>
internal static class MaxPool2x2
{
    /// <summary>True for a 2x2, stride-2, undilated and unpadded window.</summary>
    public static bool Applies(in ConvGeometry g) =>
        g.KernelH == 2 && g.KernelW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.DilationH == 1 && g.DilationW == 1 &&
        g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0;

    /// <summary><c>y = max over each 2x2 window</c>; the argmax goes to <paramref name="indices"/> unless it is empty.</summary>
    public static void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> x, Span<T> y, Span<int> indices)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int planes = g.Batch * g.Channels, outH = g.OutH, outW = g.OutW, width = g.Width, inPlane = g.InPlane;
        if (x.Length < planes * inPlane || y.Length < planes * outH * outW || (!indices.IsEmpty && indices.Length < y.Length))
        {
            throw new ArgumentException("MaxPool2d (2x2): buffers too small.");
        }

        bool vector = typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && outW >= Vector256<float>.Count;
        for (int plane = 0, outAt = 0; plane < planes; plane++)
        {
            ReadOnlySpan<T> xp = x.Slice(plane * inPlane, inPlane);
            for (int oh = 0; oh < outH; oh++, outAt += outW)
            {
                int top = 2 * oh * width;
                Span<T> yRow = y.Slice(outAt, outW);
                Span<int> iRow = indices.IsEmpty ? default : indices.Slice(outAt, outW);
                if (vector)
                {
                    RowVector(
                        MemoryMarshal.Cast<T, float>(xp.Slice(top, 2 * width)), width, top,
                        MemoryMarshal.Cast<T, float>(yRow), iRow);
                }
                else
                {
                    RowScalar(xp.Slice(top, 2 * width), width, top, yRow, iRow);
                }
            }
        }
    }

    private static void RowScalar<T>(ReadOnlySpan<T> rows, int width, int top, Span<T> y, Span<int> indices)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> r0 = rows.Slice(0, width), r1 = rows.Slice(width, width);
        for (int ow = 0, w = 0; ow < y.Length; ow++, w += 2)
        {
            T best = r0[w];
            int arg = top + w;
            Take(ref best, ref arg, r0[w + 1], top + w + 1);
            Take(ref best, ref arg, r1[w], top + width + w);
            Take(ref best, ref arg, r1[w + 1], top + width + w + 1);
            y[ow] = best;
            if (!indices.IsEmpty)
            {
                indices[ow] = arg;
            }
        }
    }

    // Selects instead of branches where the JIT manages it: on real activations the winner is unpredictable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<T>(ref T best, ref int arg, T v, int at)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool wins = v > best || T.IsNaN(v);
        best = wins ? v : best;
        arg = wins ? at : arg;
    }

    // 8 windows per step; a row whose width is not a multiple of 8 windows ends with a step that overlaps the one
    // before it (a pure map into y and indices, which never alias x, so writing those windows twice is harmless).
    private static void RowVector(ReadOnlySpan<float> rows, int width, int top, Span<float> y, Span<int> indices)
    {
        const int Step = 8;
        int outW = y.Length;
        Vector512<int> evenOdd = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        Vector256<int> offsets = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        for (int ow = 0; ow < outW; ow += Step)
        {
            ow = Math.Min(ow, outW - Step);
            int w = 2 * ow;
            Vector512<float> row0 = Vector512.Shuffle(Vector512.Create(rows.Slice(w, 2 * Step)), evenOdd);
            Vector512<float> row1 = Vector512.Shuffle(Vector512.Create(rows.Slice(width + w, 2 * Step)), evenOdd);
            Vector256<float> best = row0.GetLower();
            Vector256<int> first = Vector256.Create(top + w) + offsets, arg = first;
            Take(ref best, ref arg, row0.GetUpper(), first + Vector256<int>.One);
            Take(ref best, ref arg, row1.GetLower(), first + Vector256.Create(width));
            Take(ref best, ref arg, row1.GetUpper(), first + Vector256.Create(width + 1));
            best.CopyTo(y.Slice(ow, Step));
            if (!indices.IsEmpty)
            {
                arg.CopyTo(indices.Slice(ow, Step));
            }
        }
    }

    // Lane-wise Take: the taps v (at flat indices at) replace best where they are larger or NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector256<float> best, ref Vector256<int> arg, Vector256<float> v, Vector256<int> at)
    {
        Vector256<float> wins = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
        best = Vector256.ConditionalSelect(wins, v, best);
        arg = Vector256.ConditionalSelect(wins.AsInt32(), at, arg);
    }
}
