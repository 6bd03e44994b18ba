using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using System.Text.Json;
using TorchSharp;

namespace MiniNet.Benchmarks;

/// <summary>
/// MiniNet vs TorchSharp, side by side in one process. Usage:
/// <c>dotnet run -c Release --project tests/MiniNet.Benchmarks -- [--quick] [--json FILE]</c>.
/// </summary>
internal static class Program
{
    private const string Help = """
        MiniNet.Benchmarks: MiniNet and TorchSharp (libtorch CPU) on the same workloads, same process, interleaved.

        Usage: dotnet run -c Release --project tests/MiniNet.Benchmarks -- [options]
          --quick      fewer and shorter rounds, no plain captured-step rows (under a minute near idle)
          --json FILE  also write the figures as JSON
          --filter S   only the workloads whose name or size contains S (e.g. matmul, train, B=1)
          --stack-check  also time each MiniNet step from frames shifted by 16/32/48/64 bytes (a kernel that keeps
                       vectors on the stack runs at two speeds by alignment; see StackCheck.cs)
          --warmup S   warm-up seconds per implementation and workload, and at least 50 steps (default 1.5,
                       0.2 s and 2 steps with --quick)
          --help       this text

        Columns: median time per step (spread = interquartile range / median over rounds), ratio = TorchSharp time /
        MiniNet time (> 1: MiniNet faster), MiniNet managed bytes allocated per step on the calling thread and "gen2" = gen-2 collections, both over the steps
        run after the rounds (10,000 for training rows, 1,000 with --quick; one round's worth for the others).
        "base us": a reference interleaved in the same rounds: for elementwise rows TensorPrimitives into a preallocated
        buffer, for matmul and training rows the FMA probe doing the same flops, so "%peak" = base / MiniNet time.
        "peak fma" rows: a register-resident FMA loop (16 independent Vector512 accumulators) on 1 and 2 threads.
        Threads: MiniNetSettings.MaxThreads and torch.set_num_threads are both set to the value shown.
        """;

    public static int Main(string[] args)
    {
        bool quick = false, stackCheck = false;
        string? jsonPath = null, filter = null;
        double? warmUp = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--stack-check":
                    stackCheck = true;
                    break;
                case "--json" when i + 1 < args.Length:
                    jsonPath = args[++i];
                    break;
                case "--filter" when i + 1 < args.Length:
                    filter = args[++i];
                    break;
                case "--warmup" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out double seconds):
                    warmUp = seconds;
                    i++;
                    break;
                case "--help" or "-h":
                    Console.WriteLine(Help);
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'.\n\n{Help}");
                    return 2;
            }
        }

        int rounds = quick ? 5 : 15, warmUpSteps = quick ? 2 : 50;
        double roundSeconds = quick ? 0.03 : 0.12, warmUpSeconds = warmUp ?? (quick ? 0.2 : 1.5);
        Console.WriteLine(
            $".NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs, Vector512 {Vector512.IsHardwareAccelerated}, " +
            $"Vector256 {Vector256.IsHardwareAccelerated}, ServerGC {System.Runtime.GCSettings.IsServerGC}, " +
            $"TorchSharp {typeof(torch).Assembly.GetName().Version}, {(quick ? "quick" : "full")}: {rounds} rounds x {roundSeconds * 1e3:F0} ms after {warmUpSeconds:F1} s warm-up");
        string loadBefore = LoadAverage();
        Console.WriteLine($"load average at start: {loadBefore}");

        var workloads = new List<Func<Workload>>();
        foreach (int threads in new[] { 1, 2 })
        {
            workloads.Add(() => Workloads.Peak<float>(threads));
            workloads.Add(() => Workloads.Peak<double>(threads));
        }

        foreach (int threads in new[] { 1, 2 })
        {
            foreach (int n in new[] { 256, 512, 1024 })
            {
                workloads.Add(() => Workloads.MatMul<float>(n, threads));
            }

            workloads.Add(() => Workloads.MatMul<double>(1024, threads));
        }

        foreach (int threads in new[] { 1, 2 })
        {
            foreach (int n in new[] { 256, 512, 1024 })
            {
                workloads.Add(() => Workloads.GemmKernel<float>(n, threads));
            }

            workloads.Add(() => Workloads.GemmKernel<double>(1024, threads));
        }

        foreach (int batch in new[] { 1, 10, 32, 128 })
        {
            workloads.Add(() => Workloads.TrainingStep(batch, 1));
        }

        workloads.Add(() => Workloads.TrainingStep(512, 2));
        foreach (int batch in new[] { 1, 10, 32, 128 })
        {
            workloads.Add(() => Workloads.TrainingStep(batch, 1, TrainingMode.StepInBackward));
        }

        workloads.Add(() => Workloads.TrainingStep(512, 2, TrainingMode.StepInBackward));
        // --quick keeps the captured step with the optimizer in backward (the fastest) and drops plain captured.
        foreach ((int batch, int threads) in new[] { (1, 1), (10, 1), (32, 1), (128, 1), (512, 2) })
        {
            if (!quick)
            {
                workloads.Add(() => Workloads.TrainingStep(batch, threads, TrainingMode.Captured));
            }

            workloads.Add(() => Workloads.TrainingStep(batch, threads, TrainingMode.CapturedInBackward));
        }
        CnnWorkloads.Register(workloads);
        PointwiseWorkloads.Register(workloads);
        workloads.Add(() => Workloads.Add(1 << 20));
        workloads.Add(() => Workloads.Sigmoid(1 << 20));
        workloads.Add(() => Workloads.Add(1 << 20, dispose: true));
        workloads.Add(() => Workloads.Sigmoid(1 << 20, dispose: true));
        workloads.Add(() => Workloads.BceForwardBackward(1 << 20));

        Console.WriteLine();
        Console.WriteLine($"{"workload",-32} {"size",-13} {"thr",3} {"MiniNet us",12} {"spread",7} {"Torch us",12} {"spread",7} {"ratio",6} {"bytes/step",11} {"gen2",5} {"base us",9} {"%peak",5}  throughput MiniNet / Torch");
        var results = new List<Result>();
        foreach (Func<Workload> create in workloads)
        {
            Workload workload = create();
            if (filter is not null && !$"{workload.Name} {workload.Size}".Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                workload.Cleanup?.Invoke();
                continue;
            }

            if (workload.Name.StartsWith("train", StringComparison.Ordinal))
            {
                // The allocation target: bytes per step and gen-2 collections over a 10,000-step run (1,000 with --quick).
                workload.SteadyStateSteps = quick ? 1_000 : 10_000;
            }

            MiniNetSettings.MaxThreads = workload.Threads;
            torch.set_num_threads(workload.Threads);
            Result r = Harness.Measure(workload, rounds, roundSeconds, warmUpSeconds, warmUpSteps);
            string? stack = stackCheck ? StackCheck.Format(StackCheck.Measure(workload.MiniNet, roundSeconds)) : null;
            workload.Cleanup?.Invoke();
            results.Add(r);
            Console.WriteLine(Format(r));
            if (stack is not null)
            {
                Console.WriteLine(stack);
            }
        }

        foreach (IDisposable d in Workloads.Keep)
        {
            d.Dispose();
        }

        string loadAfter = LoadAverage();
        Console.WriteLine($"\nload average at end: {loadAfter}");
        if (jsonPath is not null)
        {
            var report = new { loadAverageStart = loadBefore, loadAverageEnd = loadAfter, processorCount = Environment.ProcessorCount, results };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            Console.WriteLine($"\nWrote {jsonPath}");
        }

        return 0;
    }

    // The first three fields of /proc/loadavg (1, 5, 15 minutes): other processes on a shared machine move the numbers.
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string Format(Result r)
    {
        string throughput = r.MiniNetThroughput is not { } m ? ""
            : r.TorchSharpThroughput is { } t ? string.Create(CultureInfo.InvariantCulture, $"{m,7:F1} / {t,7:F1} {r.ThroughputUnit}")
            : string.Create(CultureInfo.InvariantCulture, $"{m,7:F1} {r.ThroughputUnit}");
        string baseline = r.Baseline is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b,9:F1}") : new string(' ', 9);
        string peak = r.PercentOfPeak is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p,4:F0}%") : new string(' ', 5);
        string torch = r.TorchSharp is { } ts && r.TorchSharpSpread is { } tss && r.Ratio is { } ratio
            ? string.Create(CultureInfo.InvariantCulture, $"{ts,12:F1} {tss,6:P0} {ratio,6:F2}")
            : $"{"-",12} {"",7} {"-",6}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{r.Workload,-32} {r.Size,-13} {r.Threads,3} {r.MiniNet,12:F1} {r.MiniNetSpread,6:P0} {torch} {r.AllocatedBytesPerStep,11:F0} {r.Gen2Collections,5} {baseline} {peak}  {throughput}");
    }
}
