using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <c>C += A B^T</c> with A (<c>m × k</c>) and B (<c>n × k</c>) both stored row-major, so <c>C[i, j]</c> is the dot
/// product of two contiguous rows: Linear's forward <c>x W^T</c> with a small batch, read in place with no
/// transposing pack of W.
/// </summary>
/// <remarks>
/// A 4 × 4 block of C is 16 vector accumulators along k, fed by 4 + 4 row loads per step: with Vector512 one step is
/// 16 FMAs of 16 floats, twice the work per load of the Vector256 tile (measured in <see cref="Gemm.DotTilesRows"/>).
/// Rows and columns past the last full block use <see cref="Dots{T}"/>. The 16 sums of a block go to C four at a
/// time through <see cref="GemmSums"/>.
/// </remarks>
internal static unsafe class GemmDotTiles
{
    /// <summary>Adds <c>A B^T</c> into C; needs Vector256 hardware (the caller checks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(in GemmOperands<T> op, int m, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool wide = Vector512.IsHardwareAccelerated;
        int w = wide ? Vector512<T>.Count : Vector256<T>.Count, kv = k - (k % w), i = 0;
        nint lda = op.RowStrideA, ldb = op.ColStrideB;
        for (; i + 4 <= m; i += 4)
        {
            T* a0 = op.A + (i * lda);
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                T* b0 = op.B + (j * ldb), c = op.C + ((i * op.Ldc) + j);
                if (wide)
                {
                    Tile<T, Vector512<T>, Gemm512<T>>(a0, lda, b0, ldb, c, op.Ldc, kv, k);
                }
                else
                {
                    Tile<T, Vector256<T>, Gemm256<T>>(a0, lda, b0, ldb, c, op.Ldc, kv, k);
                }
            }

            for (int r = 0; r < 4; r++)
            {
                Dots(op, i + r, j, n, k);
            }
        }

        for (; i < m; i++)
        {
            Dots(op, i, 0, n, k);
        }
    }

    // The 4 x 4 block of C at c from rows a0.. (lda apart) and b0.. (ldb apart), k split at kv (a multiple of the
    // vector width), in vectors of width TVector.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TVector, TOps>(T* a0, nint lda, T* b0, nint ldb, T* c, nint ldc, int kv, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
    {
        T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        TVector s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default;
        TVector s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default;
        TVector s30 = default, s31 = default, s32 = default, s33 = default;
        for (int p = 0; p < kv; p += TOps.Count)
        {
            TVector x0 = TOps.Load(a0 + p), x1 = TOps.Load(a1 + p), x2 = TOps.Load(a2 + p), x3 = TOps.Load(a3 + p);
            TVector y = TOps.Load(b0 + p);
            s00 = TOps.Fma(x0, y, s00); s10 = TOps.Fma(x1, y, s10); s20 = TOps.Fma(x2, y, s20); s30 = TOps.Fma(x3, y, s30);
            y = TOps.Load(b1 + p);
            s01 = TOps.Fma(x0, y, s01); s11 = TOps.Fma(x1, y, s11); s21 = TOps.Fma(x2, y, s21); s31 = TOps.Fma(x3, y, s31);
            y = TOps.Load(b2 + p);
            s02 = TOps.Fma(x0, y, s02); s12 = TOps.Fma(x1, y, s12); s22 = TOps.Fma(x2, y, s22); s32 = TOps.Fma(x3, y, s32);
            y = TOps.Load(b3 + p);
            s03 = TOps.Fma(x0, y, s03); s13 = TOps.Fma(x1, y, s13); s23 = TOps.Fma(x2, y, s23); s33 = TOps.Fma(x3, y, s33);
        }

        // Every accumulator is summed into C before the first call: a vector still live across a call makes the JIT
        // spill it at its definition, inside the k loop (measured: 12 of the 16 spilled and reloaded per step, 50 GFLOP/s).
        TOps.AddSums(s00, s01, s02, s03, c);
        TOps.AddSums(s10, s11, s12, s13, c + ldc);
        TOps.AddSums(s20, s21, s22, s23, c + (2 * ldc));
        TOps.AddSums(s30, s31, s32, s33, c + (3 * ldc));
        if (kv < k)
        {
            AddTail(c, a0, b0, ldb, kv, k);
            AddTail(c + ldc, a1, b0, ldb, kv, k);
            AddTail(c + (2 * ldc), a2, b0, ldb, kv, k);
            AddTail(c + (3 * ldc), a3, b0, ldb, kv, k);
        }
    }

    // c[y] += the k % w scalar tail of row a against rows b_y (y = 0..3).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTail<T>(T* c, T* a, T* b0, nint ldb, int kv, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        for (int p = kv; p < k; p++)
        {
            s0 += a[p] * b0[p];
            s1 += a[p] * b0[ldb + p];
            s2 += a[p] * b0[(2 * ldb) + p];
            s3 += a[p] * b0[(3 * ldb) + p];
        }

        c[0] += s0;
        c[1] += s1;
        c[2] += s2;
        c[3] += s3;
    }

    // c[i, j0..n] += A[i, :]·B[j, :]: with AVX-512, four columns at a time (one A load feeds four FMAs, four
    // accumulators), which is Linear's batch-1 forward (x W^T with one row); then plain dots.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots<T>(in GemmOperands<T> op, int i, int j0, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T* a = op.A + (i * op.RowStrideA), cRow = op.C + (i * op.Ldc);
        nint ldb = op.ColStrideB;
        int j = j0, w = Vector512<T>.Count, kv = k - (k % w);
        for (; Vector512.IsHardwareAccelerated && kv > 0 && j + 4 <= n; j += 4)
        {
            T* b0 = op.B + (j * ldb), b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < kv; p += w)
            {
                Vector512<T> x = Vector512.Load(a + p);
                s0 = GemmMicroKernel.Fma(x, Vector512.Load(b0 + p), s0);
                s1 = GemmMicroKernel.Fma(x, Vector512.Load(b1 + p), s1);
                s2 = GemmMicroKernel.Fma(x, Vector512.Load(b2 + p), s2);
                s3 = GemmMicroKernel.Fma(x, Vector512.Load(b3 + p), s3);
            }

            Gemm512<T>.AddSums(s0, s1, s2, s3, cRow + j);
            if (kv < k)
            {
                AddTail(cRow + j, a, b0, ldb, kv, k);
            }
        }

        // The last columns one at a time, in place of TensorPrimitives.Dot: that is not AggressiveOptimization, so
        // until it tiers up (which a loaded machine may delay for long) it ran the n = 10 product 3x slower.
        for (; j < n; j++)
        {
            T* b = op.B + (j * ldb);
            T sum = Vector512.IsHardwareAccelerated ? Dot<T, Vector512<T>, Gemm512<T>>(a, b, k) : Dot<T, Vector256<T>, Gemm256<T>>(a, b, k);
            cRow[j] += sum;
        }
    }

    // a · b over k values: whole vectors of width TVector, then a scalar tail.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot<T, TVector, TOps>(T* a, T* b, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
    {
        TVector s = default;
        int p = 0;
        for (; p + TOps.Count <= k; p += TOps.Count)
        {
            s = TOps.Fma(TOps.Load(a + p), TOps.Load(b + p), s);
        }

        T sum = TOps.Sum(s);
        for (; p < k; p++)
        {
            sum += a[p] * b[p];
        }

        return sum;
    }
}
