using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniNet;

/// <summary>
/// <c>C += A B^T</c> with A (<c>m × k</c>) and B (<c>n × k</c>) both stored row-major, so <c>C[i, j]</c> is the dot
/// product of two contiguous rows: Linear's forward <c>x W^T</c> with a small batch, read in place with no
/// transposing pack of W.
/// </summary>
/// <remarks>
/// A block of R rows of A by 4 rows of B is 4R vector accumulators along k, fed by R + 4 row loads per step. The rows
/// of A are split into groups of at most 6 (4 with Vector256), as even as possible (10 = 5 + 5, 32 = 4 × 5 + 2 × 6):
/// each group streams all of B, which is too large for L1 (W of Linear(784, 100) is 313 KB), from L2 once, so the
/// fewer and taller the groups, the less L2 traffic per FMA. 6 × 4 is 24 zmm accumulators, 4 B vectors and one A
/// vector, 29 of the 32 registers (until 2026-12-03 4 × 4; see <see cref="Gemm.DotTilesRowsPerThread"/>). The sums of a
/// block go to C four at a time; a last 1-3 columns use the same block narrower, the k % w tail one masked step.
/// </remarks>
internal static unsafe class GemmDotTiles
{
    /// <summary>Adds <c>A B^T</c> into C; needs Vector256 hardware (the caller checks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(in GemmOperands<T> op, int m, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<T, Vector512<T>, Gemm512<T>>(op, m, n, k, tallest: 6);
        }
        else
        {
            // 16 ymm registers: a 6-row block would spill most of its accumulators.
            Run<T, Vector256<T>, Gemm256<T>>(op, m, n, k, tallest: 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TVector, TOps>(in GemmOperands<T> op, int m, int n, int k, int tallest)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
    {
        int groups = (m + tallest - 1) / tallest;
        for (int g = 0, i = 0; g < groups; g++)
        {
            // The remaining rows over the remaining groups, rounded down: never more than `tallest`.
            int rows = (m - i) / (groups - g);
            switch (rows)
            {
                case 1: Group<T, TVector, TOps, Count1>(op, i, n, k); break;
                case 2: Group<T, TVector, TOps, Count2>(op, i, n, k); break;
                case 3: Group<T, TVector, TOps, Count3>(op, i, n, k); break;
                case 4: Group<T, TVector, TOps, Count4>(op, i, n, k); break;
                case 5: Group<T, TVector, TOps, Count5>(op, i, n, k); break;
                default: Group<T, TVector, TOps, Count6>(op, i, n, k); break;
            }

            i += rows;
        }
    }

    // Rows i .. i + TRows of C: blocks of 4 columns, then one block of the last 1-3.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Group<T, TVector, TOps, TRows>(in GemmOperands<T> op, int i, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
        where TRows : ICount
    {
        T* a = op.A + (i * op.RowStrideA), c = op.C + (i * op.Ldc);
        nint lda = op.RowStrideA, ldb = op.ColStrideB;
        int kv = k - (k % TOps.Count), j = 0;
        for (; j + 4 <= n; j += 4)
        {
            Tile<T, TVector, TOps, TRows, Count4>(a, lda, op.B + (j * ldb), ldb, c + j, op.Ldc, kv, k);
        }

        switch (n - j)
        {
            case 1: Tile<T, TVector, TOps, TRows, Count1>(a, lda, op.B + (j * ldb), ldb, c + j, op.Ldc, kv, k); break;
            case 2: Tile<T, TVector, TOps, TRows, Count2>(a, lda, op.B + (j * ldb), ldb, c + j, op.Ldc, kv, k); break;
            case 3: Tile<T, TVector, TOps, TRows, Count3>(a, lda, op.B + (j * ldb), ldb, c + j, op.Ldc, kv, k); break;
        }
    }

    // The TRows x TCols block of C at c from rows a0.. (lda apart) and b0.. (ldb apart), k split at kv (a multiple of
    // the vector width). Both counts are compile-time constants, so unused rows fold away; a block narrower than 4
    // skips the loads of its missing B rows and their FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TVector, TOps, TRows, TCols>(T* a0, nint lda, T* b0, nint ldb, T* c, nint ldc, int kv, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
        where TRows : ICount
        where TCols : ICount
    {
        int rows = TRows.Value, cols = TCols.Value;
        T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        TVector s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        TVector s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        TVector s40 = default, s41 = default, s42 = default, s43 = default, s50 = default, s51 = default, s52 = default, s53 = default;
        for (int p = 0; p < kv; p += TOps.Count)
        {
            TVector y0 = TOps.Load(b0 + p);
            TVector y1 = cols > 1 ? TOps.Load(b1 + p) : default, y2 = cols > 2 ? TOps.Load(b2 + p) : default;
            TVector y3 = cols > 3 ? TOps.Load(b3 + p) : default;
            Row<T, TVector, TOps, TCols>(TOps.Load(a0 + p), y0, y1, y2, y3, ref s00, ref s01, ref s02, ref s03);
            if (rows > 1)
            {
                Row<T, TVector, TOps, TCols>(TOps.Load(a1 + p), y0, y1, y2, y3, ref s10, ref s11, ref s12, ref s13);
            }

            if (rows > 2)
            {
                Row<T, TVector, TOps, TCols>(TOps.Load(a2 + p), y0, y1, y2, y3, ref s20, ref s21, ref s22, ref s23);
            }

            if (rows > 3)
            {
                Row<T, TVector, TOps, TCols>(TOps.Load(a3 + p), y0, y1, y2, y3, ref s30, ref s31, ref s32, ref s33);
            }

            if (rows > 4)
            {
                Row<T, TVector, TOps, TCols>(TOps.Load(a4 + p), y0, y1, y2, y3, ref s40, ref s41, ref s42, ref s43);
            }

            if (rows > 5)
            {
                Row<T, TVector, TOps, TCols>(TOps.Load(a5 + p), y0, y1, y2, y3, ref s50, ref s51, ref s52, ref s53);
            }
        }

        // The k % w tail (k = 100 leaves 4 floats) as one more step, loaded under a lane mask: zeros past k, and
        // nothing read past a row. One scalar dot product per output cost as much as the 6 vector steps before it.
        if (kv < k)
        {
            TVector mask = GemmMasks.FirstLanes<T, TVector>(k - kv);
            TVector y0 = GemmMasks.Load<T, TVector>(b0 + kv, mask);
            TVector y1 = cols > 1 ? GemmMasks.Load<T, TVector>(b1 + kv, mask) : default, y2 = cols > 2 ? GemmMasks.Load<T, TVector>(b2 + kv, mask) : default;
            TVector y3 = cols > 3 ? GemmMasks.Load<T, TVector>(b3 + kv, mask) : default;
            Row<T, TVector, TOps, TCols>(GemmMasks.Load<T, TVector>(a0 + kv, mask), y0, y1, y2, y3, ref s00, ref s01, ref s02, ref s03);
            if (rows > 1)
            {
                Row<T, TVector, TOps, TCols>(GemmMasks.Load<T, TVector>(a1 + kv, mask), y0, y1, y2, y3, ref s10, ref s11, ref s12, ref s13);
            }

            if (rows > 2)
            {
                Row<T, TVector, TOps, TCols>(GemmMasks.Load<T, TVector>(a2 + kv, mask), y0, y1, y2, y3, ref s20, ref s21, ref s22, ref s23);
            }

            if (rows > 3)
            {
                Row<T, TVector, TOps, TCols>(GemmMasks.Load<T, TVector>(a3 + kv, mask), y0, y1, y2, y3, ref s30, ref s31, ref s32, ref s33);
            }

            if (rows > 4)
            {
                Row<T, TVector, TOps, TCols>(GemmMasks.Load<T, TVector>(a4 + kv, mask), y0, y1, y2, y3, ref s40, ref s41, ref s42, ref s43);
            }

            if (rows > 5)
            {
                Row<T, TVector, TOps, TCols>(GemmMasks.Load<T, TVector>(a5 + kv, mask), y0, y1, y2, y3, ref s50, ref s51, ref s52, ref s53);
            }
        }

        // Every accumulator is summed into C before the first call: a vector still live across a call makes the JIT
        // spill it at its definition, inside the k loop (measured: 12 of the 16 spilled and reloaded per step, 50 GFLOP/s).
        AddSums<T, TVector, TOps, TCols>(s00, s01, s02, s03, c);
        if (rows > 1)
        {
            AddSums<T, TVector, TOps, TCols>(s10, s11, s12, s13, c + ldc);
        }

        if (rows > 2)
        {
            AddSums<T, TVector, TOps, TCols>(s20, s21, s22, s23, c + (2 * ldc));
        }

        if (rows > 3)
        {
            AddSums<T, TVector, TOps, TCols>(s30, s31, s32, s33, c + (3 * ldc));
        }

        if (rows > 4)
        {
            AddSums<T, TVector, TOps, TCols>(s40, s41, s42, s43, c + (4 * ldc));
        }

        if (rows > 5)
        {
            AddSums<T, TVector, TOps, TCols>(s50, s51, s52, s53, c + (5 * ldc));
        }
    }

    // x * y + s when `on` (a constant in every caller, so the test folds away), else s.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Fma<T, TVector, TOps>(bool on, TVector x, TVector y, TVector s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T> => on ? TOps.Fma(x, y, s) : s;

    // c[y] += the lanes of s_y summed, for the first TCols of y = 0..3.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSums<T, TVector, TOps, TCols>(TVector s0, TVector s1, TVector s2, TVector s3, T* c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
        where TCols : ICount
    {
        if (TCols.Value == 4 && typeof(T) == typeof(float) && typeof(TVector) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            AddSums(Unsafe.BitCast<TVector, Vector512<float>>(s0), Unsafe.BitCast<TVector, Vector512<float>>(s1),
                Unsafe.BitCast<TVector, Vector512<float>>(s2), Unsafe.BitCast<TVector, Vector512<float>>(s3), (float*)c);
            return;
        }

        if (TCols.Value == 4)
        {
            TOps.AddSums(s0, s1, s2, s3, c);
            return;
        }

        c[0] += TOps.Sum(s0);
        if (TCols.Value > 1)
        {
            c[1] += TOps.Sum(s1);
        }

        if (TCols.Value > 2)
        {
            c[2] += TOps.Sum(s2);
        }
    }

    // c[y] += the lanes of s_y summed, for y = 0..3, in zmm registers: quarters of two vectors are paired and added
    // by 128-bit shuffles (s0 + s1 -> one vector of their halves, then with s2 + s3 -> one vector of the four folds),
    // then each quarter is summed in place and the four sums gathered: 17 instructions where folding each vector
    // to 128 bits and three horizontal adds (GemmSums) took about 29 uops. Measured against that, interleaved in one
    // process (2026-12-03, 1 thread, best of 40 x 20 calls, load ~8), [m, 784] x [100, 784]^T new / old: m = 10
    // 0.90, 32 0.96, 128 0.95.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSums(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, float* c)
    {
        Vector512<float> t01 = Avx512F.Shuffle4x128(s0, s1, 0x44) + Avx512F.Shuffle4x128(s0, s1, 0xEE);
        Vector512<float> t23 = Avx512F.Shuffle4x128(s2, s3, 0x44) + Avx512F.Shuffle4x128(s2, s3, 0xEE);
        Vector512<float> folds = Avx512F.Shuffle4x128(t01, t23, 0x88) + Avx512F.Shuffle4x128(t01, t23, 0xDD);
        folds += Avx512F.Permute4x32(folds, 0xB1);
        folds += Avx512F.Permute4x32(folds, 0x4E);
        Vector128<float> sums = Avx512F.PermuteVar16x32(folds, Vector512.Create(0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12)).GetLower().GetLower();
        (Vector128.Load(c) + sums).Store(c);
    }

    // One row of a step of the block: s_y += x * y_y for its columns y (the others fold away).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<T, TVector, TOps, TCols>(
        TVector x, TVector y0, TVector y1, TVector y2, TVector y3, ref TVector s0, ref TVector s1, ref TVector s2, ref TVector s3)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
        where TCols : ICount
    {
        s0 = TOps.Fma(x, y0, s0);
        s1 = Fma<T, TVector, TOps>(TCols.Value > 1, x, y1, s1);
        s2 = Fma<T, TVector, TOps>(TCols.Value > 2, x, y2, s2);
        s3 = Fma<T, TVector, TOps>(TCols.Value > 3, x, y3, s3);
    }
}
