using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace MiniNet.Benchmarks;

/// <summary>
/// The machine's FMA peak: a register-resident loop of independent <c>Vector512</c> (or the widest accelerated vector)
/// fused multiply-adds, with no loads or stores. 16 accumulators cover the 4-cycle FMA latency on 2 pipes with room to
/// spare, so the loop runs at the issue rate. Each thread runs the same loop; the wall time is what is reported.
/// </summary>
/// <remarks>
/// Checked against the clock on the Zen 5 machine (2026-12-03): a chain of dependent integer adds (one per cycle) read
/// 4.14 GHz and this loop 265 GFLOP/s in float in the same process, best of 400 short runs each: 64.0 flops per
/// cycle, exactly 2 FMA pipes x 16 lanes x 2. So the probe measures the FMA issue rate and nothing else; a reading of
/// 227-233 (2026-12-02) against 255-270 (2026-12-03) is the clock (about 3.6 against 4.1 GHz), which moves with the
/// host's load. That is why every %peak is taken against the probe in the same run.
/// </remarks>
internal static class FmaProbe
{
    private const int Accumulators = 16;

    /// <summary>Flops of one loop iteration: accumulators × lanes × 2 (multiply and add).</summary>
    public static int FlopsPerIteration<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Accumulators * 2 * (Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count);

    /// <summary>An action doing at least <paramref name="flops"/> flops of FMAs, split evenly over <paramref name="threads"/>.</summary>
    public static Action For<T>(double flops, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long perThread = (long)Math.Ceiling(flops / FlopsPerIteration<T>() / threads);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        return threads == 1
            ? () => Sink<T>.Value = Loop<T>(perThread)
            : () => Parallel.For(0, threads, options, _ => Sink<T>.Value = Loop<T>(perThread));
    }

    private static T Loop<T>(long iterations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector512.IsHardwareAccelerated ? Loop<T, Vector512<T>, Gemm512<T>>(iterations) : Loop<T, Vector256<T>, Gemm256<T>>(iterations);

    // The GEMM kernels' width-generic vector operations (IGemmVector), so the loop is written once for both widths.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T Loop<T, TVector, TOps>(long iterations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IGemmVector<TVector, T>
    {
        // acc = acc * x + y with x just below 1 and y tiny: the values stay normal and bounded however long it runs.
        TVector x = TOps.Broadcast(T.One - T.CreateTruncating(1e-6)), y = TOps.Broadcast(T.CreateTruncating(1e-7));
        TVector c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y;
        TVector c8 = y, c9 = y, c10 = y, c11 = y, c12 = y, c13 = y, c14 = y, c15 = y;
        for (long i = 0; i < iterations; i++)
        {
            c0 = TOps.Fma(c0, x, y); c1 = TOps.Fma(c1, x, y);
            c2 = TOps.Fma(c2, x, y); c3 = TOps.Fma(c3, x, y);
            c4 = TOps.Fma(c4, x, y); c5 = TOps.Fma(c5, x, y);
            c6 = TOps.Fma(c6, x, y); c7 = TOps.Fma(c7, x, y);
            c8 = TOps.Fma(c8, x, y); c9 = TOps.Fma(c9, x, y);
            c10 = TOps.Fma(c10, x, y); c11 = TOps.Fma(c11, x, y);
            c12 = TOps.Fma(c12, x, y); c13 = TOps.Fma(c13, x, y);
            c14 = TOps.Fma(c14, x, y); c15 = TOps.Fma(c15, x, y);
        }

        return TOps.Sum(c0) + TOps.Sum(c1) + TOps.Sum(c2) + TOps.Sum(c3) + TOps.Sum(c4) + TOps.Sum(c5) + TOps.Sum(c6) + TOps.Sum(c7)
            + TOps.Sum(c8) + TOps.Sum(c9) + TOps.Sum(c10) + TOps.Sum(c11) + TOps.Sum(c12) + TOps.Sum(c13) + TOps.Sum(c14) + TOps.Sum(c15);
    }

    // Keeps the loops' results observable so the JIT cannot drop them.
    private static class Sink<T>
    {
        public static T? Value;
    }
}
