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

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T Loop<T>(long iterations)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            // acc = acc * x + y with x just below 1 and y tiny: the values stay normal and bounded however long it runs.
            Vector512<T> x = Vector512.Create(T.One - T.CreateTruncating(1e-6)), y = Vector512.Create(T.CreateTruncating(1e-7));
            Vector512<T> c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y;
            Vector512<T> c8 = y, c9 = y, c10 = y, c11 = y, c12 = y, c13 = y, c14 = y, c15 = y;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Fma(c0, x, y); c1 = Fma(c1, x, y);
                c2 = Fma(c2, x, y); c3 = Fma(c3, x, y);
                c4 = Fma(c4, x, y); c5 = Fma(c5, x, y);
                c6 = Fma(c6, x, y); c7 = Fma(c7, x, y);
                c8 = Fma(c8, x, y); c9 = Fma(c9, x, y);
                c10 = Fma(c10, x, y); c11 = Fma(c11, x, y);
                c12 = Fma(c12, x, y); c13 = Fma(c13, x, y);
                c14 = Fma(c14, x, y); c15 = Fma(c15, x, y);
            }

            Vector512<T> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
            return sum.ToScalar();
        }
        else
        {
            Vector256<T> x = Vector256.Create(T.One - T.CreateTruncating(1e-6)), y = Vector256.Create(T.CreateTruncating(1e-7));
            Vector256<T> c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y;
            Vector256<T> c8 = y, c9 = y, c10 = y, c11 = y, c12 = y, c13 = y, c14 = y, c15 = y;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Fma(c0, x, y); c1 = Fma(c1, x, y);
                c2 = Fma(c2, x, y); c3 = Fma(c3, x, y);
                c4 = Fma(c4, x, y); c5 = Fma(c5, x, y);
                c6 = Fma(c6, x, y); c7 = Fma(c7, x, y);
                c8 = Fma(c8, x, y); c9 = Fma(c9, x, y);
                c10 = Fma(c10, x, y); c11 = Fma(c11, x, y);
                c12 = Fma(c12, x, y); c13 = Fma(c13, x, y);
                c14 = Fma(c14, x, y); c15 = Fma(c15, x, y);
            }

            Vector256<T> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
            return sum.ToScalar();
        }
    }

    // One fused instruction on every FMA CPU (MultiplyAddEstimate never takes FusedMultiplyAdd's exact fallback).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>()
        : Vector512.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>()
        : Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();

    // Keeps the loops' results observable so the JIT cannot drop them.
    private static class Sink<T>
    {
        public static T? Value;
    }
}
