using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>Which implementation <see cref="Gemm"/> uses; tests force each one, callers use <see cref="Auto"/>.</summary>
internal enum GemmPath
{
    /// <summary>Pick by problem size and hardware.</summary>
    Auto,

    /// <summary>Unpacked row loops (axpy / dot) over the operands in place: no setup cost.</summary>
    Small,

    /// <summary>Packed, cache-blocked, 6 × 2·Vector256 register tiles.</summary>
    Packed256,

    /// <summary>Packed, cache-blocked, 8 × 2·Vector512 register tiles.</summary>
    Packed512,
}

/// <summary>
/// Matrix multiply over row-major contiguous matrices: <c>C (+)= op(A) · op(B)</c>, where <c>op</c> is the identity or
/// a transpose that is read in place, never materialised. <c>op(A)</c> is <c>m × k</c>, <c>op(B)</c> is <c>k × n</c>.
/// </summary>
/// <remarks>
/// Large products follow the Goto/BLIS scheme: B is packed in <c>KC × NC</c> blocks and A in <c>MC × KC</c> blocks
/// into per-thread, 64-byte aligned scratch (the transposes are absorbed by the packing), then
/// <see cref="GemmMicroKernel"/> sweeps register tiles over them. Small products (the batch-1 training step) skip the
/// packing, whose cost would exceed the multiply's.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Below this many multiply-adds the unpacked loops win (measured: a packed 32³ already beats them).</summary>
    internal const long SmallWork = 24 * 24 * 24;

    /// <summary>Multiply-adds per extra thread before a product is split (2^21: one thread's share must be ≥ ~25 µs).</summary>
    internal const long ParallelGrain = 1L << 21;

    private const int KcBytes = 1024, Mc = 96, Nc = 2048;

    /// <summary>
    /// <c>C = op(A) op(B)</c>, or <c>C += op(A) op(B)</c> when <paramref name="accumulate"/> is set.
    /// A is stored <c>m × k</c> (or <c>k × m</c> when <paramref name="transposeA"/>), B is stored <c>k × n</c>
    /// (or <c>n × k</c> when <paramref name="transposeB"/>), C is <c>m × n</c>.
    /// </summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Multiply(a, transposeA, b, transposeB, c, m, n, k, accumulate, GemmPath.Auto, MiniNetSettings.MaxThreads);

    /// <summary>As the public overload, with the path and the thread cap explicit (a forced path with
    /// <paramref name="maxThreads"/> &gt; 1 splits even small products, so tests reach the parallel code).</summary>
    internal static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate,
        GemmPath path, int maxThreads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
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

        long work = (long)m * n * k;
        int threads = 1;
        if (path == GemmPath.Auto)
        {
            path = work < SmallWork || !Vector256.IsHardwareAccelerated ? GemmPath.Small
                : Vector512.IsHardwareAccelerated ? GemmPath.Packed512 : GemmPath.Packed256;
            threads = (int)Math.Clamp(work / ParallelGrain, 1, maxThreads);
        }
        else if (path != GemmPath.Small)
        {
            threads = Math.Max(1, maxThreads);
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var operands = new GemmOperands<T>(
                pa, transposeA ? 1 : k, transposeA ? m : 1, pb, transposeB ? 1 : n, transposeB ? k : 1, pc, n);
            if (path == GemmPath.Small)
            {
                Small(operands, m, n, k, transposeB);
            }
            else if (threads > 1)
            {
                new GemmSplit<T>(operands, m, n, k, path, threads).Run();
            }
            else
            {
                Blocked(operands, m, n, k, path);
            }
        }
    }

    /// <summary>The cache-blocked loop nest over one (sub)problem, on the calling thread.</summary>
    internal static void Blocked<T>(in GemmOperands<T> op, int m, int n, int k, GemmPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool wide = path == GemmPath.Packed512;
        int mr = wide ? GemmMicroKernel.Rows512 : GemmMicroKernel.Rows256;
        int nr = 2 * (wide ? Vector512<T>.Count : Vector256<T>.Count);
        int kcMax = KcBytes / sizeof(T);
        int ncMax = Math.Min(Nc, RoundUp(n, nr));
        T* packedA = GemmScratch.Get<T>(RoundUp(Math.Min(Mc, m), mr) * Math.Min(kcMax, k), ncMax * Math.Min(kcMax, k), out T* packedB);
        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                PackB(op, pc, kc, jc, nc, nr, packedB);
                for (int ic = 0; ic < m; ic += Mc)
                {
                    int mc = Math.Min(Mc, m - ic);
                    PackA(op, ic, mc, pc, kc, mr, packedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        T* bPanel = packedB + (jr * kc);
                        T* cBlock = op.C + ((ic * op.Ldc) + jc + jr);
                        int nrValid = Math.Min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            T* aPanel = packedA + (ir * kc);
                            T* cTile = cBlock + (ir * op.Ldc);
                            int mrValid = Math.Min(mr, mc - ir);
                            if (wide)
                            {
                                GemmMicroKernel.Run512(kc, aPanel, bPanel, cTile, op.Ldc, mrValid, nrValid);
                            }
                            else
                            {
                                GemmMicroKernel.Run256(kc, aPanel, bPanel, cTile, op.Ldc, mrValid, nrValid);
                            }
                        }
                    }
                }
            }
        }
    }

    // Ã: micro-panels of mr rows; within one, column p holds op(A)[ic + r .. ic + r + mr, pc + p] contiguously.
    // Rows past m are zero so the kernel never branches on the edge.
    private static void PackA<T>(in GemmOperands<T> op, int ic, int mc, int pc, int kc, int mr, T* dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < mc; r += mr)
        {
            int rows = Math.Min(mr, mc - r);
            T* src = op.A + (((ic + r) * op.RowStrideA) + (pc * op.ColStrideA));
            for (int p = 0; p < kc; p++, dst += mr)
            {
                T* s = src + (p * op.ColStrideA);
                int i = 0;
                for (; i < rows; i++)
                {
                    dst[i] = s[i * op.RowStrideA];
                }

                for (; i < mr; i++)
                {
                    dst[i] = T.Zero;
                }
            }
        }
    }

    // B̃: micro-panels of nr columns; within one, row p holds op(B)[pc + p, jc + j .. jc + j + nr] contiguously.
    private static void PackB<T>(in GemmOperands<T> op, int pc, int kc, int jc, int nc, int nr, T* dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int j = 0; j < nc; j += nr)
        {
            int cols = Math.Min(nr, nc - j);
            T* src = op.B + ((pc * op.RowStrideB) + ((jc + j) * op.ColStrideB));
            for (int p = 0; p < kc; p++, dst += nr)
            {
                T* s = src + (p * op.RowStrideB);
                if (op.ColStrideB == 1 && cols == nr)
                {
                    new ReadOnlySpan<T>(s, nr).CopyTo(new Span<T>(dst, nr));
                    continue;
                }

                int jj = 0;
                for (; jj < cols; jj++)
                {
                    dst[jj] = s[jj * op.ColStrideB];
                }

                for (; jj < nr; jj++)
                {
                    dst[jj] = T.Zero;
                }
            }
        }
    }

    // Unpacked: C[i, :] += A[i, p] B[p, :] as contiguous axpys, or C[i, j] += A[i, :]·B[j, :] as dots when B is
    // transposed; TensorPrimitives vectorises both. Only a tiny product with both operands transposed goes scalar.
    private static void Small<T>(in GemmOperands<T> op, int m, int n, int k, bool transposeB)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var cRow = new Span<T>(op.C + (i * op.Ldc), n);
            T* aRow = op.A + (i * op.RowStrideA);
            if (!transposeB)
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

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
