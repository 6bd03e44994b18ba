using System;
using System.Diagnostics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Reliability;

public class SoakTests
{
    private readonly ITestOutputHelper _output;

    public SoakTests(ITestOutputHelper output) => _output = output;

    private static double Median(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    [SoakFact]
    [Trait("Category", "Soak")]
    public void LongTraining_KeepsMemoryFlat_AndDoesNotSlowDown()
    {
        const int Chunks = 20, StepsPerChunk = 5_000, Batch = 16;
        var rng = new Rng(5);
        Tensor<float> w1 = Tensor.Randn<float>(rng, 64, 32), b1 = Tensor.Zeros<float>(32);
        Tensor<float> w2 = Tensor.Randn<float>(rng, 32, 4), b2 = Tensor.Zeros<float>(4);
        Tensor<float>[] parameters = { w1, b1, w2, b2 };
        foreach (Tensor<float> p in parameters)
        {
            p.RequiresGrad = true;
        }

        Tensor<float> x = Tensor.Randn<float>(rng, Batch, 64);
        Tensor<float> y = Tensor.Rand<float>(rng, Batch, 4);
        var managed = new long[Chunks];
        var workingSet = new long[Chunks];
        var seconds = new double[Chunks];
        var allocated = new long[Chunks];
        using var process = Process.GetCurrentProcess();
        int pendingBefore = Tape.Current.Count;
        for (int chunk = 0; chunk < Chunks; chunk++)
        {
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int step = 0; step < StepsPerChunk; step++)
            {
                x.MatMul(w1).Add(b1).Sigmoid().MatMul(w2).Add(b2).BinaryCrossEntropyWithLogits(y).Backward();
                using (MiniNet.Autograd.NoGrad())
                {
                    foreach (Tensor<float> p in parameters)
                    {
                        Span<float> values = p.AsSpanForWrite();
                        ReadOnlySpan<float> grad = p.Grad!.AsReadOnlySpan();
                        for (int i = 0; i < values.Length; i++)
                        {
                            values[i] -= 0.05f * grad[i];
                        }

                        p.ZeroGrad();
                    }
                }
            }

            seconds[chunk] = watch.Elapsed.TotalSeconds;
            allocated[chunk] = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            managed[chunk] = GC.GetTotalMemory(forceFullCollection: true);
            process.Refresh();
            workingSet[chunk] = process.WorkingSet64;
            _output.WriteLine($"chunk {chunk,2}: {seconds[chunk]:F2} s, {allocated[chunk] / (double)StepsPerChunk:F0} B/step allocated, managed {managed[chunk] / 1024.0:F0} KiB, working set {workingSet[chunk] / 1048576.0:F1} MiB, tape {Tape.Current.Count} entries");
        }

        Tape.Current.Count.Should().Be(pendingBefore, "each Backward frees the graph it walked");

        // Compare the second half with the first chunks after warm-up (chunk 0 includes JIT and tiering).
        long managedBaseline = Math.Max(managed[1], managed[2]);
        managed[Chunks - 1].Should().BeLessThan(managedBaseline + (1 << 20), "managed heap must stay flat (within 1 MiB)");
        workingSet[Chunks - 1].Should().BeLessThan(workingSet[2] + (64L << 20), "working set must stay flat (within 64 MiB of GC and allocator slack)");
        // The work per step must not grow: allocation per chunk is deterministic, so compare it exactly-ish.
        allocated[Chunks - 1].Should().BeLessThanOrEqualTo(allocated[1] + 4096, "per-step allocation must not grow over the run");

        // Wall time is noisy on a shared 2-core machine; compare medians of 5 early and 5 late chunks with a 2x margin,
        // which a real leak-driven slowdown (a tape or pool growing per step) exceeds many times over.
        double early = Median(seconds.AsSpan(1, 5)), late = Median(seconds.AsSpan(Chunks - 5, 5));
        late.Should().BeLessThan(early * 2, "steps must not slow down as training goes on");
    }
}
