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
            GemmDotTiles.Multiply(op, m, n, k);
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
