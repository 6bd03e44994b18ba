using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            int rows = Math.Min(mr, mc - r), filled = rows;
            T* src = op.A + (((ic + r) * op.RowStrideA) + (pc * op.ColStrideA));
            if (op.ColStrideA == 1)
            {
                filled = Transpose(src, op.RowStrideA, rows, kc, dst, mr);
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

            ZeroColumns(dst, mr, filled, kc);
        }
    }

    // B̃: micro-panels of nr columns; within one, row p holds op(B)[pc + p, jc + j .. jc + j + nr] contiguously. A last
    // panel of at most `narrow` columns (when nonzero) has rows only `narrow` (or narrow / 2) wide, see PanelWidth.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(in GemmOperands<T> op, int pc, int kc, int jc, int nc, int nr, int narrow, T* dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int j = 0; j < nc; j += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - j), filled = cols;
            int width = PanelWidth(cols, nr, narrow);
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
                    new ReadOnlySpan<T>(src + (p * op.RowStrideB), cols).CopyTo(new Span<T>(dst + (p * width), cols));
                }
            }
            else
            {
                filled = Transpose(src, op.ColStrideB, cols, kc, dst, width);
            }

            ZeroColumns(dst, width, filled, kc);
        }
    }

    /// <summary>
    /// Row length of a packed B panel of <paramref name="cols"/> columns: <paramref name="nr"/>, or for a ragged last
    /// panel one zmm (<paramref name="narrow"/>) or one ymm (half that) when it fits, which is all the 512-bit kernel's
    /// narrow variants read (for n = 100 a full-width panel would be 28 of 32 columns of zeros to write and stream).
    /// </summary>
    public static int PanelWidth(int cols, int nr, int narrow) =>
        cols <= narrow / 2 ? narrow / 2 : cols <= narrow ? narrow : nr;

    // dst[q·ldd + i] = src[i·lds + q] for i < rows, q < len: `rows` contiguous source rows (of A, or of a transposed B)
    // become the columns of a panel. Square blocks of 8 floats or 4 doubles are transposed in registers, so both the
    // loads and the stores are whole vectors (one scalar per store ran at ~1 ns per element). When ldd is a whole
    // number of blocks, a last partial block of rows is transposed with zero rows for the missing ones, so it also
    // writes the zero padding of its columns. Returns how many columns of dst are written (rows, or rows rounded up).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose<T>(T* src, nint lds, int rows, int len, T* dst, nint ldd)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int block = Avx.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) ? Vector256<T>.Count : 0;
        int i = 0;
        if (block > 0)
        {
            int lenBlocks = len - (len % block);
            int padded = ldd % block == 0 ? (rows + block - 1) / block * block : rows / block * block;
            for (; i < padded; i += block)
            {
                T* s = src + (i * lds);
                T* d = dst + i;
                int valid = Math.Min(block, rows - i);
                for (int q = 0; q < lenBlocks; q += block)
                {
                    if (typeof(T) == typeof(float))
                    {
                        Transpose8x8((float*)(s + q), lds, valid, (float*)(d + (q * ldd)), ldd);
                    }
                    else
                    {
                        Transpose4x4((double*)(s + q), lds, valid, (double*)(d + (q * ldd)), ldd);
                    }
                }

                for (int r = 0; r < block; r++)
                {
                    for (int q = lenBlocks; q < len; q++)
                    {
                        d[(q * ldd) + r] = r < valid ? s[(r * lds) + q] : T.Zero;
                    }
                }
            }

            if (i > rows)
            {
                return i;
            }
        }

        // Leftover rows, four at a time so each panel row written takes four values per visit.
        for (; i + 4 <= rows; i += 4)
        {
            T* s0 = src + (i * lds), s1 = s0 + lds, s2 = s1 + lds, s3 = s2 + lds;
            T* d = dst + i;
            for (int q = 0; q < len; q++, d += ldd)
            {
                d[0] = s0[q];
                d[1] = s1[q];
                d[2] = s2[q];
                d[3] = s3[q];
            }
        }

        for (; i < rows; i++)
        {
            T* s = src + (i * lds);
            for (int q = 0; q < len; q++)
            {
                dst[(q * ldd) + i] = s[q];
            }
        }

        return rows;
    }

    // Rows a..h of 8 floats in (rows from `valid` on read as zero), columns out: unpack pairs rows, shuffle makes quads
    // within each 128-bit lane, and the lane permutes join the low (columns 0-3) and high (columns 4-7) halves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint lds, int valid, float* d, nint ldd)
    {
        Vector256<float> r0, r1, r2, r3, r4, r5, r6, r7;
        if (valid == 8)
        {
            r0 = Avx.LoadVector256(s); r1 = Avx.LoadVector256(s + lds);
            r2 = Avx.LoadVector256(s + (2 * lds)); r3 = Avx.LoadVector256(s + (3 * lds));
            r4 = Avx.LoadVector256(s + (4 * lds)); r5 = Avx.LoadVector256(s + (5 * lds));
            r6 = Avx.LoadVector256(s + (6 * lds)); r7 = Avx.LoadVector256(s + (7 * lds));
        }
        else
        {
            r0 = Row(s, lds, 0, valid); r1 = Row(s, lds, 1, valid); r2 = Row(s, lds, 2, valid); r3 = Row(s, lds, 3, valid);
            r4 = Row(s, lds, 4, valid); r5 = Row(s, lds, 5, valid); r6 = Row(s, lds, 6, valid); r7 = Row(s, lds, 7, valid);
        }

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + (2 * ldd), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + (3 * ldd), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + (4 * ldd), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + (5 * ldd), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + (6 * ldd), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + (7 * ldd), Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, nint lds, int valid, double* d, nint ldd)
    {
        Vector256<double> r0, r1, r2, r3;
        if (valid == 4)
        {
            r0 = Avx.LoadVector256(s); r1 = Avx.LoadVector256(s + lds);
            r2 = Avx.LoadVector256(s + (2 * lds)); r3 = Avx.LoadVector256(s + (3 * lds));
        }
        else
        {
            r0 = Row(s, lds, 0, valid); r1 = Row(s, lds, 1, valid); r2 = Row(s, lds, 2, valid); r3 = Row(s, lds, 3, valid);
        }

        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + (2 * ldd), Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + (3 * ldd), Avx.Permute2x128(t1, t3, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Row<T>(T* s, nint lds, int r, int valid)
        where T : unmanaged => r < valid ? Vector256.Load(s + (r * lds)) : Vector256<T>.Zero;

    // Zero padding: columns [from, width) of a panel of kc rows, `width` apart (whole vectors where aligned to them).
    private static void ZeroColumns<T>(T* dst, int width, int from, int kc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (from >= width)
        {
            return;
        }

        int w = Vector256<T>.Count;
        bool vectors = Vector256.IsHardwareAccelerated && from % w == 0 && width % w == 0;
        for (int p = 0; p < kc; p++, dst += width)
        {
            if (vectors)
            {
                for (int j = from; j < width; j += w)
                {
                    Vector256<T>.Zero.Store(dst + j);
                }
            }
            else
            {
                new Span<T>(dst + from, width - from).Clear();
            }
        }
    }
}
