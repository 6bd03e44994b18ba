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
    // C[i, :] += A[i, p] B[p, :] by register-blocked row sweeps (or axpys without SIMD), or C[i, j] += A[i, :]·B[j, :] as dots when B is
    // transposed; TensorPrimitives vectorises both. Only a tiny product with both operands transposed goes scalar.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(in GemmOperands<T> op, int m, int n, int k, bool transposeB)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var cRow = new Span<T>(op.C + (i * op.Ldc), n);
            T* aRow = op.A + (i * op.RowStrideA);
            if (!transposeB && Vector256.IsHardwareAccelerated)
            {
                RowTimesMatrix(aRow, op.ColStrideA, op.B, op.RowStrideB, op.C + (i * op.Ldc), n, k);
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

    // c[0..n] += sum_p a[p] * B[p, 0..n]: 4 vectors of C stay in registers across the whole k loop, so B is streamed
    // once and C is loaded and stored once per column block (an axpy per p would load and store C k times).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTimesMatrix<T>(T* a, nint aStride, T* b, nint ldb, T* c, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, j = 0;
        for (; j + (4 * w) <= n; j += 4 * w)
        {
            Vector256<T> c0 = Vector256.Load(c + j), c1 = Vector256.Load(c + j + w);
            Vector256<T> c2 = Vector256.Load(c + j + (2 * w)), c3 = Vector256.Load(c + j + (3 * w));
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
            Vector256<T> c0 = Vector256.Load(c + j);
            for (int p = 0; p < k; p++)
            {
                c0 += Vector256.Create(a[p * aStride]) * Vector256.Load(b + (p * ldb) + j);
            }

            c0.Store(c + j);
        }

        for (; j < n; j++)
        {
            T sum = c[j];
            for (int p = 0; p < k; p++)
            {
                sum += a[p * aStride] * b[(p * ldb) + j];
            }

            c[j] = sum;
        }
    }
}
