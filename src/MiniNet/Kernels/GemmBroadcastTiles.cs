using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniNet;

/// <summary>
/// <c>C (+)= op(A) · B</c> with both operands read in place, no packing: B untransposed (rows
/// <see cref="GemmOperands{T}.RowStrideB"/> apart) and op(A) through its two strides, so a transposed A (the weight
/// gradient <c>G^T H</c>) is as cheap as a plain one. For the thin products of a small layer (784-100-10's second
/// layer: <c>[B, 10] x [10, 100]</c>, <c>[10, B] x [B, 100]</c>), which the packed path spent more time packing and
/// padding than multiplying.
/// </summary>
/// <remarks>
/// C is swept in strips of up to 4 Vector512 columns, each strip in groups of at most 6 rows, as even as possible (as
/// in <see cref="GemmDotTiles"/>): a 6 × 4 block is 24 zmm accumulators, 4 B vectors and one broadcast of A per step of
/// k, 29 of the 32 registers. The last vector of a strip is loaded and stored under a lane mask, so a ragged n (10,
/// 100 = 6 × 16 + 4) needs no scalar tail and never touches memory past a row. Without accumulate C is written, never
/// read. AVX-512 only: the caller checks <see cref="IsSupported"/>.
/// </remarks>
internal static unsafe partial class GemmBroadcastTiles
{
    private const int TallestGroup = 6;

    /// <summary>Whether the masked 512-bit loads and stores this kernel is built on run in hardware.</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary><c>C = op(A) B</c>, or <c>C += op(A) B</c> with <paramref name="accumulate"/>; B untransposed (unit column stride).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(in GemmOperands<T> op, int m, int n, int k, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count, strip = 4 * w;
        for (int j = 0; j < n; j += strip)
        {
            int cols = Math.Min(strip, n - j), vectors = (cols + w - 1) / w;
            int lastLanes = cols - ((vectors - 1) * w);
            Vector512<T> mask = GemmMasks.FirstLanes<T, Vector512<T>>(lastLanes);
            switch (vectors)
            {
                case 1: Strip<T, Count1>(op, j, m, k, mask, accumulate); break;
                case 2: Strip<T, Count2>(op, j, m, k, mask, accumulate); break;
                case 3: Strip<T, Count3>(op, j, m, k, mask, accumulate); break;
                default: Strip<T, Count4>(op, j, m, k, mask, accumulate); break;
            }
        }
    }

    // Columns j .. j + TVecs vectors of C, every row, in row groups of at most TallestGroup.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip<T, TVecs>(in GemmOperands<T> op, int j, int m, int k, Vector512<T> mask, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVecs : ICount
    {
        int groups = (m + TallestGroup - 1) / TallestGroup;
        T* b = op.B + j;
        for (int g = 0, i = 0; g < groups; g++)
        {
            int rows = (m - i) / (groups - g);
            T* a = op.A + (i * op.RowStrideA), c = op.C + ((i * op.Ldc) + j);
            switch (rows)
            {
                case 1: Tile<T, Count1, TVecs>(a, op.RowStrideA, op.ColStrideA, b, op.RowStrideB, c, op.Ldc, k, mask, accumulate); break;
                case 2: Tile<T, Count2, TVecs>(a, op.RowStrideA, op.ColStrideA, b, op.RowStrideB, c, op.Ldc, k, mask, accumulate); break;
                case 3: Tile<T, Count3, TVecs>(a, op.RowStrideA, op.ColStrideA, b, op.RowStrideB, c, op.Ldc, k, mask, accumulate); break;
                case 4: Tile<T, Count4, TVecs>(a, op.RowStrideA, op.ColStrideA, b, op.RowStrideB, c, op.Ldc, k, mask, accumulate); break;
                case 5: Tile<T, Count5, TVecs>(a, op.RowStrideA, op.ColStrideA, b, op.RowStrideB, c, op.Ldc, k, mask, accumulate); break;
                default: Tile<T, Count6, TVecs>(a, op.RowStrideA, op.ColStrideA, b, op.RowStrideB, c, op.Ldc, k, mask, accumulate); break;
            }

            i += rows;
        }
    }

    // The TRows x TVecs-vector block of C at c: sum over p of A(r, p) (at a + r rsA + p csA) times row p of B (ldb
    // apart). Both counts are compile-time constants, so the unused accumulators, loads and FMAs fold away.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TRows, TVecs>(T* a0, nint rsA, nint csA, T* b, nint ldb, T* c, nint ldc, int k, Vector512<T> mask, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TRows : ICount
        where TVecs : ICount
    {
        if (TVecs.Value == 1)
        {
            Column<T, TRows>(a0, rsA, csA, b, ldb, c, ldc, k, mask, accumulate);
            return;
        }

        int rows = TRows.Value, w = Vector512<T>.Count;
        T* a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        Vector512<T> s40 = default, s41 = default, s42 = default, s43 = default, s50 = default, s51 = default, s52 = default, s53 = default;
        nint ap = 0;
        for (int p = 0; p < k; p++, b += ldb, ap += csA)
        {
            Vector512<T> y0 = LoadB<T, TVecs>(b, 0, mask), y1 = LoadB<T, TVecs>(b + w, 1, mask);
            Vector512<T> y2 = LoadB<T, TVecs>(b + (2 * w), 2, mask), y3 = LoadB<T, TVecs>(b + (3 * w), 3, mask);
            Step<T, TVecs>(Vector512.Create(a0[ap]), y0, y1, y2, y3, ref s00, ref s01, ref s02, ref s03);
            if (rows > 1)
            {
                Step<T, TVecs>(Vector512.Create(a1[ap]), y0, y1, y2, y3, ref s10, ref s11, ref s12, ref s13);
            }

            if (rows > 2)
            {
                Step<T, TVecs>(Vector512.Create(a2[ap]), y0, y1, y2, y3, ref s20, ref s21, ref s22, ref s23);
            }

            if (rows > 3)
            {
                Step<T, TVecs>(Vector512.Create(a3[ap]), y0, y1, y2, y3, ref s30, ref s31, ref s32, ref s33);
            }

            if (rows > 4)
            {
                Step<T, TVecs>(Vector512.Create(a4[ap]), y0, y1, y2, y3, ref s40, ref s41, ref s42, ref s43);
            }

            if (rows > 5)
            {
                Step<T, TVecs>(Vector512.Create(a5[ap]), y0, y1, y2, y3, ref s50, ref s51, ref s52, ref s53);
            }
        }

        PutRow<T, TVecs>(c, s00, s01, s02, s03, mask, accumulate);
        if (rows > 1)
        {
            PutRow<T, TVecs>(c + ldc, s10, s11, s12, s13, mask, accumulate);
        }

        if (rows > 2)
        {
            PutRow<T, TVecs>(c + (2 * ldc), s20, s21, s22, s23, mask, accumulate);
        }

        if (rows > 3)
        {
            PutRow<T, TVecs>(c + (3 * ldc), s30, s31, s32, s33, mask, accumulate);
        }

        if (rows > 4)
        {
            PutRow<T, TVecs>(c + (4 * ldc), s40, s41, s42, s43, mask, accumulate);
        }

        if (rows > 5)
        {
            PutRow<T, TVecs>(c + (5 * ldc), s50, s51, s52, s53, mask, accumulate);
        }
    }

    // Vector v of a strip's B row: the last one (v = TVecs - 1) under the mask, those past the strip not at all.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> LoadB<T, TVecs>(T* b, int v, Vector512<T> mask)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVecs : ICount =>
        v < TVecs.Value - 1 ? Vector512.Load(b) : v == TVecs.Value - 1 ? GemmMasks.Load<T, Vector512<T>>(b, mask) : default;

    // s_v += x * y_v for the strip's vectors.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<T, TVecs>(
        Vector512<T> x, Vector512<T> y0, Vector512<T> y1, Vector512<T> y2, Vector512<T> y3,
        ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVecs : ICount
    {
        s0 = GemmMicroKernel.Fma(x, y0, s0);
        if (TVecs.Value > 1)
        {
            s1 = GemmMicroKernel.Fma(x, y1, s1);
        }

        if (TVecs.Value > 2)
        {
            s2 = GemmMicroKernel.Fma(x, y2, s2);
        }

        if (TVecs.Value > 3)
        {
            s3 = GemmMicroKernel.Fma(x, y3, s3);
        }
    }

    // One row of the block into C (added to it with accumulate), the last vector under the mask.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutRow<T, TVecs>(T* c, Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3, Vector512<T> mask, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVecs : ICount
    {
        int w = Vector512<T>.Count, last = TVecs.Value - 1;
        Put(c, s0, last == 0, mask, accumulate);
        if (last >= 1)
        {
            Put(c + w, s1, last == 1, mask, accumulate);
        }

        if (last >= 2)
        {
            Put(c + (2 * w), s2, last == 2, mask, accumulate);
        }

        if (last >= 3)
        {
            Put(c + (3 * w), s3, last == 3, mask, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* c, Vector512<T> sum, bool masked, Vector512<T> mask, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!masked)
        {
            (accumulate ? sum + Vector512.Load(c) : sum).Store(c);
            return;
        }

        GemmMasks.Store(c, accumulate ? sum + GemmMasks.Load<T, Vector512<T>>(c, mask) : sum, mask);
    }
}
