using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;

namespace MiniNet.Benchmarks;

/// <summary>
/// <c>--stack-check</c>: times a workload's MiniNet step called from frames shifted by 16, 32, 48 and 64 bytes. The
/// JIT aligns frames to 16 bytes only, so a 32- or 64-byte vector it keeps on the stack (an argument of a call it did not
/// inline, a spill) straddles a cache line in some frames and not others, and store-to-load forwarding fails there:
/// a kernel with such a slot runs at two speeds depending on where the process's stack happens to start (found
/// 2026-12-04: float tanh 171 vs 583 us per 256K, TensorPrimitives' float exp 147 vs 402). A max/min near 1 means the
/// row does not depend on it.
/// </summary>
internal static unsafe class StackCheck
{
    private static readonly int[] Shifts = [16, 32, 48, 64];

    /// <summary>The step's median time per shift (microseconds), three rounds of about <paramref name="roundSeconds"/> each.</summary>
    public static double[] Measure(Action step, double roundSeconds)
    {
        int steps = Harness.Calibrate(step, roundSeconds, warmUpSeconds: 0, warmUpSteps: 0); // warm already: the row ran
        var times = new double[Shifts.Length][];
        for (int s = 0; s < Shifts.Length; s++)
        {
            times[s] = new double[3];
        }

        for (int round = 0; round < 3; round++)
        {
            for (int k = 0; k < Shifts.Length; k++)
            {
                int s = (round + k) % Shifts.Length; // rotating order, so drift hits every shift alike
                times[s][round] = Shifted(Shifts[s], step, steps);
            }
        }

        return times.Select(Harness.Median).ToArray();
    }

    /// <summary>One line for the table: the times per shift and their max/min.</summary>
    public static string Format(double[] micros) =>
        $"  stack +{string.Join("/", Shifts)} B: {string.Join(" / ", micros.Select(t => t.ToString("F1")))} us, max/min {micros.Max() / micros.Min():F2}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Shifted(int bytes, Action step, int steps)
    {
        byte* pad = stackalloc byte[bytes];
        pad[0] = 1;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
        {
            step();
        }

        double micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds / steps;
        return pad[0] == 1 ? micros : double.NaN; // reads the pad after the steps, so it is not dropped
    }
}
