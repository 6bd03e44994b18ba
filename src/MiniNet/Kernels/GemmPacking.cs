using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// Copies blocks of <c>op(A)</c> and <c>op(B)</c> into the contiguous micro-panel layout <see cref="GemmMicroKernel"/>
/// reads, zero-padding ragged edges. Transposes are absorbed here: they only change which side is strided.
/// </summary>
internal static unsafe class GemmPacking
{
    // Ã: micro-panels of mr rows; within one, column p holds op(A)[ic + r .. ic + r + mr, pc + p] contiguously.
    // Rows past m are zero so the kernel never branches on the edge. Each source row (or column, when A is
    // transposed) is read sequentially; the strided side is the write into the small, cache-resident panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(in GemmOperands<T> op, int ic, int mc, int pc, int kc, int mr, T* dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < mc; r += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - r);
            T* src = op.A + (((ic + r) * op.RowStrideA) + (pc * op.ColStrideA));
            if (op.ColStrideA == 1)
            {
                for (int i = 0; i < rows; i++)
                {
                    T* s = src + (i * op.RowStrideA);
                    for (int p = 0; p < kc; p++)
                    {
                        dst[(p * mr) + i] = s[p];
                    }
                }
            }
            else if (rows == mr && mr % Vector256<T>.Count == 0 && Vector256.IsHardwareAccelerated)
            {
                // A transposed: each column of the panel is mr contiguous values (8 floats = one Vector256).
                for (int p = 0; p < kc; p++)
                {
                    for (int i = 0; i < mr; i += Vector256<T>.Count)
                    {
                        Vector256.Load(src + (p * op.ColStrideA) + i).Store(dst + (p * mr) + i);
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    for (int i = 0; i < rows; i++)
                    {
                        dst[(p * mr) + i] = src[(p * op.ColStrideA) + i];
                    }
                }
            }

            for (int i = rows; i < mr; i++)
            {
                for (int p = 0; p < kc; p++)
                {
                    dst[(p * mr) + i] = T.Zero;
                }
            }
        }
    }

    // B̃: micro-panels of nr columns; within one, row p holds op(B)[pc + p, jc + j .. jc + j + nr] contiguously.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(in GemmOperands<T> op, int pc, int kc, int jc, int nc, int nr, T* dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int j = 0; j < nc; j += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - j);
            T* src = op.B + ((pc * op.RowStrideB) + ((jc + j) * op.ColStrideB));
            if (op.ColStrideB == 1 && cols == nr && Vector256.IsHardwareAccelerated)
            {
                int w = Vector256<T>.Count;
                for (int p = 0; p < kc; p++)
                {
                    for (int v = 0; v < nr; v += w)
                    {
                        Vector256.Load(src + (p * op.RowStrideB) + v).Store(dst + (p * nr) + v);
                    }
                }
            }
            else if (op.ColStrideB == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    new ReadOnlySpan<T>(src + (p * op.RowStrideB), cols).CopyTo(new Span<T>(dst + (p * nr), cols));
                }
            }
            else
            {
                // B transposed: four source rows at a time, so each panel row written takes four values per visit
                // (one value per visit touched a new cache line every store and ran ~4x slower).
                int jj = 0;
                for (; jj + 4 <= cols; jj += 4)
                {
                    T* s0 = src + (jj * op.ColStrideB), s1 = s0 + op.ColStrideB, s2 = s1 + op.ColStrideB, s3 = s2 + op.ColStrideB;
                    T* d = dst + jj;
                    for (int p = 0; p < kc; p++, d += nr)
                    {
                        d[0] = s0[p];
                        d[1] = s1[p];
                        d[2] = s2[p];
                        d[3] = s3[p];
                    }
                }

                for (; jj < cols; jj++)
                {
                    T* s = src + (jj * op.ColStrideB);
                    for (int p = 0; p < kc; p++)
                    {
                        dst[(p * nr) + jj] = s[p];
                    }
                }
            }

            for (int jj = cols; jj < nr; jj++)
            {
                for (int p = 0; p < kc; p++)
                {
                    dst[(p * nr) + jj] = T.Zero;
                }
            }
        }
    }
}
