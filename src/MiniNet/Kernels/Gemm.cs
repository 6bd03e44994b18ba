using System;
using System.Numerics;
using System.Runtime.CompilerServices;
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

    /// <summary>Unpacked dot tiles of x W^T (<see cref="GemmDotTiles"/>), split by rows across threads;
    /// <see cref="Small"/> unless B is transposed and A is not.</summary>
    DotTiles,

    /// <summary>Unpacked 6 × 4·Vector512 broadcast tiles over both operands in place (<see cref="GemmBroadcastTiles"/>);
    /// <see cref="Small"/> without AVX-512.</summary>
    Broadcast,
}

/// <summary>
/// Matrix multiply over row-major contiguous matrices: <c>C (+)= op(A) · op(B)</c>, where <c>op</c> is the identity or
/// a transpose that is read in place, never materialised. <c>op(A)</c> is <c>m × k</c>, <c>op(B)</c> is <c>k × n</c>.
/// </summary>
/// <remarks>
/// Large products follow the Goto/BLIS scheme: B is packed in <c>KC × NC</c> blocks and A in <c>MC × KC</c> blocks
/// into per-thread, 64-byte aligned scratch (the transposes are absorbed by the packing), then
/// <see cref="GemmMicroKernel"/> sweeps register tiles over them. Small products (the batch-1 training step) skip the
/// packing, whose cost would exceed the multiply's. The loop-heavy kernels are marked AggressiveOptimization: at tier 0
/// their Vector code is not inlined and runs ~5x slower, and tiering up takes 30 calls plus a 100 ms quiet period,
/// which a short training run (or a benchmark's warm-up) may never reach.
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>Below this many multiply-adds the unpacked loops win (measured: packed already wins at 16³, 3x at 32³).</summary>
    internal const long SmallWork = 16 * 16 * 16;

    /// <summary>Products with fewer rows than this run unpacked: one B row feeds too few FMAs to repay packing it.</summary>
    internal const int SmallRows = 4;

    /// <summary>
    /// Up to this depth an untransposed B runs as unpacked row sweeps: with k this small each C tile gets k FMAs per
    /// load and store, so packing and per-tile calls are pure overhead (the batch-1 weight gradient, an outer product
    /// 100 x 784 with k = 1, went through the packed kernel one kc = 1 panel at a time).
    /// </summary>
    internal const int SmallDepth = 4;

    /// <summary>
    /// Up to this many rows (two MC blocks) an untransposed B is read in place rather than packed: measured 10×100×784
    /// 59 → 48 µs, 1×100×784 55 → 31 µs. Raised from one MC block (96) to two (2026-12-03, with the C-tile prefetch), on
    /// Zen 5, 1 thread, best of 300 (load 7-10), % of the FMA probe packed → in place: the weight gradient
    /// [100, B]^T [B, 784] B = 32 75 → 79, B = 128 83 → 91; [128, 100] x [100, 784] 76-87 → 93.5; 128³ 87 → 92,
    /// 192³ 91 → 93.5. Four blocks measured the same as two at 256³ and 384³ (within the noise), so two it is.
    /// </summary>
    internal const int DirectBRows = 2 * Mc;

    /// <summary>
    /// Multiply-adds per thread of the convolution's split by samples (ConvKernel): split once it has two grains (2^20,
    /// about 100³). Measured on the 2-vCPU Zen 4 with Parallel.For, 1 vs 2 threads: 64³ 8.4 vs 8.4 µs, 96³ 24.6 vs
    /// 16.8, 128³ 55 vs 29.
    /// </summary>
    internal const long ParallelGrain = 1L << 19;

    /// <summary>
    /// Multiply-adds per thread of a product split on <see cref="GemmWorkers"/>: split once it has two grains (2^18,
    /// 64³). On Zen 5 (2026-12-03, load ~1), 1 vs 2 threads: 64³ 2.2 vs 1.4 µs (broadcast tiles), 2.4 vs 1.6-1.7
    /// (packed), 80³ 5.0-5.5 vs 3.0-4.4, and the 784-100-10 output layer at B = 512 (512K each): [512, 100] x
    /// [10, 100]^T 9.4-9.8 vs 5.0-5.2, [10, 512] x [512, 100] 5.4-5.5 vs 3.1-3.4, [512, 10] x [10, 100] 6.5-6.7 vs 5.3-5.9.
    /// </summary>
    internal const long SplitGrain = 1L << 17;

    // Block sizes (elements, except KC in bytes so float and double share it). A KC x NR panel of B (32 KB) and an
    // MR x KC panel of A (8 KB float) feed the kernel from L1/L2, an MC x KC block of A (96 KB) stays in L2, a
    // KC x NC block of B (2 MB) in L3. Sweeping KC over 128..512 floats, MC over 48..192 and NC over 1024..2048 moved
    // 256³..1024³ by less than the run-to-run noise on the 2-vCPU Zen 4 (88-106 GFLOP/s), so these are not tuned.
    // On Zen 5 (2 MB L2, best-of runs at load ~15, with the C prefetch): KC 256 doubles instead of 128, and MC 144 or
    // 192 instead of 96, stayed within the noise at 1024³ (f32 90-93 %, f64 85-89 % of the FMA peak).
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

        if (m == 0 || n == 0)
        {
            return;
        }

        long work = (long)m * n * k;
        int threads = 1;
        if (path == GemmPath.Auto)
        {
            // Packing B costs about as much as multiplying it by a handful of rows, so a GEMV-like product (the batch-1
            // training step) stays unpacked; anything else with a 16³ or so of work is faster packed (measured).
            // Likewise x W^T with few rows (Linear's forward) runs as row-by-row dot tiles while W (n x k) fits in L2,
            // instead of paying for a transposing pack of W, and thin products with operands that fit in L2 (the small
            // layer, the weight gradient G^T X) as broadcast tiles over both operands in place (Gemm.Paths.cs).
            threads = (int)Math.Clamp(work / SplitGrain, 1, maxThreads);
            int panel = 2 * (Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count);
            int dotRows = 5 * n <= 4 * RoundUp(n, panel) ? DotTilesRowsRagged : DotTilesRowsPerThread;
            bool dotTiles = transposeB && !transposeA && (m <= dotRows * threads || (long)n * k <= DotTilesAnyRowsB) && (long)n * k <= DotTilesMaxB;
            bool shallow = k <= SmallDepth && !transposeB;
            path = k == 0 || m < SmallRows || work < SmallWork || shallow || !Vector256.IsHardwareAccelerated ? GemmPath.Small
                : Broadcasts<T>(m, n, k, transposeB) ? GemmPath.Broadcast
                : dotTiles ? GemmPath.DotTiles
                : Vector512.IsHardwareAccelerated ? GemmPath.Packed512 : GemmPath.Packed256;
        }
        else
        {
            threads = Math.Max(1, maxThreads);
        }

        // The tile paths fall back to the row loops where they do not apply (no AVX-512; B untransposed for the broadcast
        // tiles, x W^T for the dot tiles).
        if ((path == GemmPath.Broadcast && (transposeB || !GemmBroadcastTiles.IsSupported))
            || (path == GemmPath.DotTiles && (transposeA || !transposeB || !Vector256.IsHardwareAccelerated)))
        {
            path = GemmPath.Small;
        }

        threads = path == GemmPath.Small ? 1 : threads;

        // The small path's row sweeps write C without reading it; every other small kernel and the dot tiles add into C.
        bool overwrites = path == GemmPath.Small && !transposeB && Vector256.IsHardwareAccelerated && k > 0;
        if ((path is GemmPath.Small or GemmPath.DotTiles || k == 0) && !accumulate && !overwrites)
        {
            c.Slice(0, m * n).Clear();
        }

        if (k == 0)
        {
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var operands = new GemmOperands<T>(
                pa, transposeA ? 1 : k, transposeA ? m : 1, pb, transposeB ? 1 : n, transposeB ? k : 1, pc, n);
            if (path == GemmPath.Small)
            {
                GemmSmall.Multiply(operands, m, n, k, transposeB, accumulate: accumulate || !overwrites);
            }
            else if (threads > 1)
            {
                GemmSplit<T>.Run(operands, m, n, k, accumulate, path, threads);
            }
            else
            {
                Run(operands, m, n, k, accumulate, path);
            }
        }
    }

    /// <summary>One (sub)problem on the calling thread, by any path but <see cref="GemmPath.Small"/>.</summary>
    internal static void Run<T>(in GemmOperands<T> op, int m, int n, int k, bool accumulate, GemmPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (path)
        {
            case GemmPath.Broadcast: GemmBroadcastTiles.Multiply(op, m, n, k, accumulate); break;
            case GemmPath.DotTiles: GemmDotTiles.Multiply(op, m, n, k); break;
            default: Blocked(op, m, n, k, accumulate, path); break;
        }
    }

    /// <summary>The cache-blocked loop nest over one (sub)problem, on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Blocked<T>(in GemmOperands<T> op, int m, int n, int k, bool accumulate, GemmPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool wide = path == GemmPath.Packed512;
        int mr = wide ? GemmMicroKernel.Rows512 : GemmMicroKernel.Rows256;
        int nr = 2 * (wide ? Vector512<T>.Count : Vector256<T>.Count);

        // Only the 512-bit kernel has a one-vector variant for a last panel that narrow (see PackB).
        int narrow = wide ? Vector512<T>.Count : 0;
        // KC blocks of equal size (a multiple of 8) rather than full ones and a stub: k = 784 runs as 4 x 196, not
        // 3 x 256 + 16, whose last pass paid the tile loads and stores of C for a sixteenth of the work.
        int kcMax = KcBytes / sizeof(T);
        int kBlocks = (k + kcMax - 1) / kcMax;
        kcMax = Math.Min(kcMax, RoundUp((k + kBlocks - 1) / kBlocks, 8));
        int ncMax = Math.Min(Nc, RoundUp(n, nr));
        T* packedA = GemmScratch.Get<T>(RoundUp(Math.Min(Mc, m), mr) * Math.Min(kcMax, k), ncMax * Math.Min(kcMax, k), out T* packedB);

        // With few rows each B panel feeds few tiles, so packing it costs more than it saves: an untransposed B is
        // then read in place (rows ldb apart), and only a ragged last panel is packed, for its zero padding.
        bool directB = op.ColStrideB == 1 && m <= DirectBRows;
        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            int ragged = directB ? nc / nr * nr : 0;
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = accumulate || pc > 0;
                if (!directB)
                {
                    GemmPacking.PackB(op, pc, kc, jc, nc, nr, narrow, packedB);
                }
                else if (ragged < nc)
                {
                    GemmPacking.PackB(op, pc, kc, jc + ragged, nc - ragged, nr, narrow, packedB);
                }

                for (int ic = 0; ic < m; ic += Mc)
                {
                    int mc = Math.Min(Mc, m - ic);
                    GemmPacking.PackA(op, ic, mc, pc, kc, mr, packedA);

                    // Tiles go down a column of C, so one B panel (hot in L1) feeds every row tile. Sweeping along the
                    // rows instead, for contiguous C tiles when kc <= 16, measured the same (2026-12-03, Zen 5,
                    // [100, B]^T [B, 784], 1 thread, best of 300, load ~26; down vs along: B = 10 12.7-13.0 vs
                    // 12.9-16.8 us, B = 32 23-28 vs 25-26 us).
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        T* bPanel = !directB ? packedB + (jr * kc) : jr < ragged ? op.B + ((pc * op.RowStrideB) + jc + jr) : packedB;
                        nint ldb = directB && jr < ragged ? op.RowStrideB : GemmPacking.PanelWidth(nc - jr, nr, narrow);
                        T* cBlock = op.C + ((ic * op.Ldc) + jc + jr);
                        int nrValid = Math.Min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            T* aPanel = packedA + (ir * kc);
                            T* cTile = cBlock + (ir * op.Ldc);
                            int mrValid = Math.Min(mr, mc - ir);
                            if (wide)
                            {
                                GemmMicroKernel.Run512(kc, aPanel, bPanel, ldb, cTile, op.Ldc, mrValid, nrValid, add);
                            }
                            else
                            {
                                GemmMicroKernel.Run256(kc, aPanel, bPanel, ldb, cTile, op.Ldc, mrValid, nrValid, add);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
