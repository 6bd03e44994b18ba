using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json.Serialization;

namespace MiniNet.Benchmarks;

/// <summary>One side-by-side measurement: the same work in MiniNet, TorchSharp and optionally a TensorPrimitives baseline.</summary>
internal sealed class Workload
{
    public required string Name { get; init; }

    public required string Size { get; init; }

    public required int Threads { get; init; }

    /// <summary>Work per step for the throughput column: flops (matmul), bytes touched (elementwise), or 0.</summary>
    public double WorkPerStep { get; init; }

    /// <summary>"GFLOP/s" or "GB/s" when <see cref="WorkPerStep"/> is set.</summary>
    public string ThroughputUnit { get; init; } = "";

    public required Action MiniNet { get; init; }

    /// <summary>Undoes per-thread state the workload set up (an optimizer stepping in backward); run once it is measured or skipped.</summary>
    public Action? Cleanup { get; init; }

    /// <summary>The TorchSharp step; null for rows that measure the machine only (the FMA peak).</summary>
    public required Action? TorchSharp { get; init; }

    /// <summary>A reference run interleaved with the two sides: a TensorPrimitives pass, or the FMA probe.</summary>
    public Action? Baseline { get; init; }

    /// <summary>
    /// True when <see cref="Baseline"/> is <see cref="FmaProbe"/> doing <see cref="WorkPerStep"/> flops on the same
    /// threads: then baseline time / MiniNet time is the fraction of the FMA peak MiniNet reaches, measured under the
    /// same load in the same rounds.
    /// </summary>
    public bool BaselineIsPeak { get; init; }

    /// <summary>
    /// Steps of MiniNet run back to back after the timed rounds to measure the steady state: managed bytes per step and
    /// gen-2 collections (0: as many steps as one round).
    /// </summary>
    public int SteadyStateSteps { get; set; }
}

/// <summary>The figures of one workload; times (mininet, torchsharp, baseline) are medians per step in microseconds.</summary>
internal sealed record Result(
    string Workload,
    string Size,
    int Threads,
    [property: JsonPropertyName("mininet")] double MiniNet,
    [property: JsonPropertyName("mininetSpread")] double MiniNetSpread,
    [property: JsonPropertyName("torchsharp")] double? TorchSharp,
    [property: JsonPropertyName("torchsharpSpread")] double? TorchSharpSpread,
    double? Baseline,
    double? Ratio,
    double? PercentOfPeak,
    double AllocatedBytesPerStep,
    int SteadyStateSteps,
    int Gen2Collections,
    [property: JsonPropertyName("mininetThroughput")] double? MiniNetThroughput,
    [property: JsonPropertyName("torchsharpThroughput")] double? TorchSharpThroughput,
    string ThroughputUnit);

/// <summary>
/// Interleaved timing: after a warm-up, each round runs every implementation for a calibrated number of steps, in
/// rotating order, so drift and noise from other processes hit all of them alike. Reports median per-step time over
/// rounds and the spread as (p75 - p25) / median.
/// </summary>
internal static class Harness
{
    public static Result Measure(Workload workload, int rounds, double roundSeconds, double warmUpSeconds, int warmUpSteps)
    {
        var actions = new List<Action> { workload.MiniNet };
        if (workload.TorchSharp is not null)
        {
            actions.Add(workload.TorchSharp);
        }

        if (workload.Baseline is not null)
        {
            actions.Add(workload.Baseline);
        }

        var iterations = new int[actions.Count];
        var times = new double[actions.Count][];
        for (int i = 0; i < actions.Count; i++)
        {
            iterations[i] = Calibrate(actions[i], roundSeconds, warmUpSeconds, warmUpSteps);
            times[i] = new double[rounds];
        }

        for (int r = 0; r < rounds; r++)
        {
            for (int s = 0; s < actions.Count; s++)
            {
                int i = (r + s) % actions.Count;
                times[i][r] = TimePerStep(actions[i], iterations[i]);
            }
        }

        int steady = workload.SteadyStateSteps > 0 ? workload.SteadyStateSteps : iterations[0];

        // Settle the TorchSharp side's garbage first (its tensors add native memory pressure, which triggers gen-2
        // collections on its own schedule), so a gen-2 counted below is one MiniNet's steps caused.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int gen2Before = GC.CollectionCount(2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steady; i++)
        {
            workload.MiniNet();
        }

        double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / steady;
        int gen2 = GC.CollectionCount(2) - gen2Before;
        double mini = Median(times[0]);
        bool hasTorch = workload.TorchSharp is not null;
        double? torch = hasTorch ? Median(times[1]) : null, torchSpread = hasTorch ? Spread(times[1]) : null;
        double? baseline = workload.Baseline is null ? null : Median(times[^1]);
        double? Throughput(double? micros) => workload.WorkPerStep > 0 && micros is { } us ? workload.WorkPerStep / (us * 1e3) : null;
        return new Result(
            workload.Name, workload.Size, workload.Threads, mini, Spread(times[0]), torch, torchSpread, baseline, torch / mini,
            workload.BaselineIsPeak ? 100 * baseline / mini : null, allocated, steady, gen2, Throughput(mini), Throughput(torch),
            workload.ThroughputUnit);
    }

    // Warm up (at least warmUpSteps steps and warmUpSeconds: caches, TorchSharp's allocator; tiered compilation is off,
    // so the JIT needs one call), then pick a step count that fills about one round.
    internal static int Calibrate(Action action, double roundSeconds, double warmUpSeconds, int warmUpSteps)
    {
        var clock = Stopwatch.StartNew();
        for (int steps = 0; steps < warmUpSteps || clock.Elapsed.TotalSeconds < warmUpSeconds; steps++)
        {
            action();
        }

        clock.Restart();
        int measured = 0;
        while (measured < 3 || clock.Elapsed.TotalSeconds < roundSeconds)
        {
            action();
            measured++;
        }

        double perStep = clock.Elapsed.TotalSeconds / measured;
        return (int)Math.Clamp(roundSeconds / perStep, 1, 1_000_000);
    }

    private static double TimePerStep(Action action, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / steps;
    }

    internal static double Median(double[] values) => Quantile(values, 0.5);

    private static double Spread(double[] values) => (Quantile(values, 0.75) - Quantile(values, 0.25)) / Median(values);

    private static double Quantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
