using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// The unpacked path of <see cref="Gemm"/> for products too small to repay packing, chiefly GEMV-like ones with one
/// to three rows (the batch-1 training step: <c>[1, 784] x [784, 100]</c>).
/// </summary>
internal static unsafe class GemmSmall
{
    // C[i, :] += A[i, p] B[p, :] by register-blocked row sweeps (or axpys without SIMD), or C[i, j] += A[i, :]·B[j, :]
    // as dot tiles when B is transposed. Only a tiny product with both operands transposed goes scalar. accumulate
    // false is honoured by the SIMD row sweeps alone (they then write C without reading it); every other branch adds,
    // so Gemm clears C first for those.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(in GemmOperands<T> op, int m, int n, int k, bool transposeB, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (transposeB && op.ColStrideA == 1 && Vector256.IsHardwareAccelerated)
        {
            DotTiles(op, m, n, k);
            return;
        }

        for (int i = 0; i < m; i++)
        {
            var cRow = new Span<T>(op.C + (i * op.Ldc), n);
            T* aRow = op.A + (i * op.RowStrideA);
            if (!transposeB && Vector256.IsHardwareAccelerated)
            {
                RowTimesMatrix(aRow, op.ColStrideA, op.B, op.RowStrideB, op.C + (i * op.Ldc), n, k, accumulate);
            }
            else if (!transposeB)
            {
                for (int p = 0; p < k; p++)
                {
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(op.B + (p * op.RowStrideB), n), aRow[p * op.ColStrideA], cRow, cRow);
                }
            }
            else if (op.ColStrideA == 1)
            {
                var aSpan = new ReadOnlySpan<T>(aRow, k);
                for (int j = 0; j < n; j++)
                {
                    cRow[j] += TensorPrimitives.Dot(aSpan, new ReadOnlySpan<T>(op.B + (j * op.ColStrideB), k));
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    T sum = T.Zero;
                    for (int p = 0; p < k; p++)
                    {
                        sum += aRow[p * op.ColStrideA] * op.B[(j * op.ColStrideB) + p];
                    }

                    cRow[j] += sum;
                }
            }
        }
    }

    // C = A B^T with both stored row-major, so C[i, j] is the dot product of two contiguous rows (Linear's forward
    // x W^T). A 4 x 4 block of C is 16 vector accumulators along k, fed by 4 + 4 row loads per step: FMA-bound like
    // the packed kernel, with no transposing pack of B. Rows and columns past the last full block use plain dots.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTiles<T>(in GemmOperands<T> op, int m, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, kv = k - (k % w), i = 0;
        nint lda = op.RowStrideA, ldb = op.ColStrideB;
        for (; i + 4 <= m; i += 4)
        {
            T* a0 = op.A + (i * lda), a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                T* b0 = op.B + (j * ldb), b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default;
                Vector256<T> s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default;
                Vector256<T> s30 = default, s31 = default, s32 = default, s33 = default;
                for (int p = 0; p < kv; p += w)
                {
                    Vector256<T> x0 = Vector256.Load(a0 + p), x1 = Vector256.Load(a1 + p);
                    Vector256<T> x2 = Vector256.Load(a2 + p), x3 = Vector256.Load(a3 + p);
                    Vector256<T> y = Vector256.Load(b0 + p);
                    s00 = GemmMicroKernel.Fma(x0, y, s00); s10 = GemmMicroKernel.Fma(x1, y, s10);
                    s20 = GemmMicroKernel.Fma(x2, y, s20); s30 = GemmMicroKernel.Fma(x3, y, s30);
                    y = Vector256.Load(b1 + p);
                    s01 = GemmMicroKernel.Fma(x0, y, s01); s11 = GemmMicroKernel.Fma(x1, y, s11);
                    s21 = GemmMicroKernel.Fma(x2, y, s21); s31 = GemmMicroKernel.Fma(x3, y, s31);
                    y = Vector256.Load(b2 + p);
                    s02 = GemmMicroKernel.Fma(x0, y, s02); s12 = GemmMicroKernel.Fma(x1, y, s12);
                    s22 = GemmMicroKernel.Fma(x2, y, s22); s32 = GemmMicroKernel.Fma(x3, y, s32);
                    y = Vector256.Load(b3 + p);
                    s03 = GemmMicroKernel.Fma(x0, y, s03); s13 = GemmMicroKernel.Fma(x1, y, s13);
                    s23 = GemmMicroKernel.Fma(x2, y, s23); s33 = GemmMicroKernel.Fma(x3, y, s33);
                }

                T* c = op.C + ((i * op.Ldc) + j);
                AddRow(c, a0, b0, ldb, kv, k, Vector256.Sum(s00), Vector256.Sum(s01), Vector256.Sum(s02), Vector256.Sum(s03));
                AddRow(c + op.Ldc, a1, b0, ldb, kv, k, Vector256.Sum(s10), Vector256.Sum(s11), Vector256.Sum(s12), Vector256.Sum(s13));
                AddRow(c + (2 * op.Ldc), a2, b0, ldb, kv, k, Vector256.Sum(s20), Vector256.Sum(s21), Vector256.Sum(s22), Vector256.Sum(s23));
                AddRow(c + (3 * op.Ldc), a3, b0, ldb, kv, k, Vector256.Sum(s30), Vector256.Sum(s31), Vector256.Sum(s32), Vector256.Sum(s33));
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

    // c[y] += s_y + the k % w scalar tail of row a against rows b_y (y = 0..3).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRow<T>(T* c, T* a, T* b0, nint ldb, int kv, int k, T s0, T s1, T s2, T s3)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
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

            AddRow(cRow + j, a, b0, ldb, kv, k, Vector512.Sum(s0), Vector512.Sum(s1), Vector512.Sum(s2), Vector512.Sum(s3));
        }

        var aRow = new ReadOnlySpan<T>(a, k);
        for (; j < n; j++)
        {
            cRow[j] += TensorPrimitives.Dot(aRow, new ReadOnlySpan<T>(op.B + (j * ldb), k));
        }
    }

    // c[0..n] (+)= sum_p a[p] * B[p, 0..n]: 4 vectors of C stay in registers across the whole k loop, so B is streamed
    // once and C is loaded and stored once per column block (an axpy per p would load and store C k times). Without
    // accumulate C is only written, never read or cleared first: for the batch-1 weight gradient (k = 1, an outer
    // product) that is one pass over dW instead of three.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTimesMatrix<T>(T* a, nint aStride, T* b, nint ldb, T* c, int n, int k, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int j = 0, w512 = Vector512<T>.Count;
        for (; Vector512.IsHardwareAccelerated && j + (4 * w512) <= n; j += 4 * w512)
        {
            T* cj = c + j, bp = b + j;
            Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default;
            if (accumulate)
            {
                (c0, c1, c2, c3) = (Vector512.Load(cj), Vector512.Load(cj + w512), Vector512.Load(cj + (2 * w512)), Vector512.Load(cj + (3 * w512)));
            }

            for (int p = 0; p < k; p++, bp += ldb)
            {
                var ap = Vector512.Create(a[p * aStride]);
                c0 += ap * Vector512.Load(bp);
                c1 += ap * Vector512.Load(bp + w512);
                c2 += ap * Vector512.Load(bp + (2 * w512));
                c3 += ap * Vector512.Load(bp + (3 * w512));
            }

            c0.Store(cj);
            c1.Store(cj + w512);
            c2.Store(cj + (2 * w512));
            c3.Store(cj + (3 * w512));
        }

        int w = Vector256<T>.Count;
        for (; j + (4 * w) <= n; j += 4 * w)
        {
            Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default;
            if (accumulate)
            {
                (c0, c1, c2, c3) = (Vector256.Load(c + j), Vector256.Load(c + j + w), Vector256.Load(c + j + (2 * w)), Vector256.Load(c + j + (3 * w)));
            }

            T* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                var ap = Vector256.Create(a[p * aStride]);
                c0 += ap * Vector256.Load(bp);
                c1 += ap * Vector256.Load(bp + w);
                c2 += ap * Vector256.Load(bp + (2 * w));
                c3 += ap * Vector256.Load(bp + (3 * w));
            }

            c0.Store(c + j);
            c1.Store(c + j + w);
            c2.Store(c + j + (2 * w));
            c3.Store(c + j + (3 * w));
        }

        for (; j + w <= n; j += w)
        {
            Vector256<T> c0 = accumulate ? Vector256.Load(c + j) : default;
            for (int p = 0; p < k; p++)
            {
                c0 += Vector256.Create(a[p * aStride]) * Vector256.Load(b + (p * ldb) + j);
            }

            c0.Store(c + j);
        }

        for (; j < n; j++)
        {
            T sum = accumulate ? c[j] : T.Zero;
            for (int p = 0; p < k; p++)
            {
                sum += a[p * aStride] * b[(p * ldb) + j];
            }

            c[j] = sum;
        }
    }
}
