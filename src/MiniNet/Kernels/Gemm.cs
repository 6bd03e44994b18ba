using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>
/// Matrix multiply over row-major contiguous matrices: <c>C (+)= op(A) · op(B)</c>, where <c>op</c> is the identity or
/// a transpose that is read in place, never materialised. <c>op(A)</c> is <c>m × k</c>, <c>op(B)</c> is <c>k × n</c>.
/// </summary>
internal static class Gemm
{
    /// <summary>
    /// <c>C = op(A) op(B)</c>, or <c>C += op(A) op(B)</c> when <paramref name="accumulate"/> is set.
    /// A is stored <c>m × k</c> (or <c>k × m</c> when <paramref name="transposeA"/>), B is stored <c>k × n</c>
    /// (or <c>n × k</c> when <paramref name="transposeB"/>), C is <c>m × n</c>.
    /// </summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"Gemm buffers too small for {m}x{k} by {k}x{n}.");
        }

        if (!accumulate)
        {
            c.Slice(0, m * n).Clear();
        }

        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }

        if (transposeB && !transposeA)
        {
            // C[i, j] += dot(A[i, :], B[j, :]): both rows are contiguous.
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow = a.Slice(i * k, k);
                Span<T> cRow = c.Slice(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                }
            }

            return;
        }

        if (transposeB)
        {
            // Both transposed: rare; C^T = B A, so compute row by row through a transposed copy of B.
            var bt = new T[k * n];
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                {
                    bt[(p * n) + j] = b[(j * k) + p];
                }
            }

            Multiply<T>(a, transposeA, bt, false, c, m, n, k, accumulate: true);
            return;
        }

        // C[i, :] += A[i, p] * B[p, :] (i-p-j order keeps the inner loop a contiguous axpy).
        for (int i = 0; i < m; i++)
        {
            Span<T> cRow = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
            }
        }
    }
}
