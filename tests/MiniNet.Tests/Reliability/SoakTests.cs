using System;
using System.Diagnostics;
using FluentAssertions;
using MiniNet.NN;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Reliability;

/// <summary>
/// Long training runs (opt-in: <c>MININET_SOAK=1</c>): an MLP with a hand-written update, a small CNN (Conv2d, ReLU,
/// MaxPool2d, Dropout, Linear, CrossEntropy) with Adadelta and <see cref="MiniNet.Autograd.RecycleIntermediates"/> as the sample
/// trains it, and the same CNN with a gradient penalty through the differentiable backward (<c>createGraph: true</c>,
/// the engine's second-order path). Each must keep the tape, managed heap, working set and per-step allocation flat and
/// not slow down.
/// </summary>
public class SoakTests
{
    private readonly ITestOutputHelper _output;

    public SoakTests(ITestOutputHelper output) => _output = output;

    [SoakFact]
    [Trait("Category", "Soak")]
    public void LongTraining_KeepsMemoryFlat_AndDoesNotSlowDown()
    {
        const int Batch = 16;
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
        Soak("MLP", chunks: 20, stepsPerChunk: 5_000, step: () =>
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
        });
    }

    [SoakFact]
    [Trait("Category", "Soak")]
    public void LongCnnTraining_WithRecycledIntermediates_KeepsMemoryFlat_AndDoesNotSlowDown()
    {
        (Sequential model, Tensor<float> x, int[] labels) = SmallCnn();
        var optimizer = new Adadelta(model.Parameters(), 1.0);
        Soak("CNN", chunks: 12, stepsPerChunk: 1_000, step: () =>
        {
            using (MiniNet.Autograd.RecycleIntermediates())
            {
                optimizer.ZeroGrad();
                model.Forward(x).CrossEntropy(labels).Backward();
                optimizer.Step();
            }
        });
    }

    [SoakFact]
    [Trait("Category", "Soak")]
    public void LongCnnTraining_WithAGradientPenalty_ThroughCreateGraph_KeepsMemoryFlat()
    {
        // loss + 0.01 * sum(dloss/dx ^ 2): the first-order gradient is recorded (createGraph) and differentiated again.
        // Tape.Current.Count grows here by 10 per step (measured): the recorded first-order backward also builds the
        // parameters' gradient branches, which the penalty does not use, so no Backward ever walks (and counts as freed)
        // them. Nothing references them, so the GC takes them: the memory checks are what holds.
        (Sequential model, Tensor<float> x, int[] labels) = SmallCnn();
        x.RequiresGrad = true;
        var optimizer = new Adadelta(model.Parameters(), 1.0);
        Soak("CNN + gradient penalty", chunks: 12, stepsPerChunk: 500, countsTape: false, step: () =>
        {
            optimizer.ZeroGrad();
            Tensor<float> loss = model.Forward(x).CrossEntropy(labels);
            Tensor<float> gradX = MiniNet.Autograd.Grad([loss], [x], createGraph: true)[0]!;
            loss.Add(gradX.Mul(gradX).Sum().Mul(0.01f)).Backward();
            optimizer.Step();
            x.ZeroGrad();
        });
    }

    private static (Sequential Model, Tensor<float> X, int[] Labels) SmallCnn()
    {
        var rng = new Rng(9);
        var model = new Sequential(
            new Conv2d(1, 8, 3, rng), new Relu(), new MaxPool2d(2), new Dropout(0.25, rng), new Flatten(),
            new Linear(8 * 7 * 7, 32, rng), new Relu(), new Linear(32, 10, rng));
        Tensor<float> x = Tensor.Randn<float>(rng, 16, 1, 16, 16);
        int[] labels = new int[16];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 10;
        }

        return (model, x, labels);
    }

    private static double Median(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>Runs <paramref name="step"/> in chunks and asserts that nothing grows from the early chunks to the last.</summary>
    private void Soak(string name, int chunks, int stepsPerChunk, Action step) => Soak(name, chunks, stepsPerChunk, countsTape: true, step);

    private void Soak(string name, int chunks, int stepsPerChunk, bool countsTape, Action step)
    {
        var managed = new long[chunks];
        var workingSet = new long[chunks];
        var seconds = new double[chunks];
        var allocated = new long[chunks];
        using var process = Process.GetCurrentProcess();
        int pendingBefore = Tape.Current.Count;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < stepsPerChunk; i++)
            {
                step();
            }

            seconds[chunk] = watch.Elapsed.TotalSeconds;
            allocated[chunk] = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            managed[chunk] = GC.GetTotalMemory(forceFullCollection: true);
            process.Refresh();
            workingSet[chunk] = process.WorkingSet64;
            _output.WriteLine($"{name} chunk {chunk,2}: {seconds[chunk]:F2} s, {allocated[chunk] / (double)stepsPerChunk:F0} B/step allocated, managed {managed[chunk] / 1024.0:F0} KiB, working set {workingSet[chunk] / 1048576.0:F1} MiB, tape {Tape.Current.Count} entries");
        }

        if (countsTape)
        {
            Tape.Current.Count.Should().Be(pendingBefore, "each Backward frees the graph it walked");
        }

        // Compare the last chunk with the first chunks after warm-up (chunk 0 includes JIT and tiering).
        long managedBaseline = Math.Max(managed[1], managed[2]);
        managed[chunks - 1].Should().BeLessThan(managedBaseline + (1 << 20), "managed heap must stay flat (within 1 MiB)");
        workingSet[chunks - 1].Should().BeLessThan(workingSet[2] + (64L << 20), "working set must stay flat (within 64 MiB of GC and allocator slack)");

        // The work per step must not grow. Allocation per chunk is deterministic up to pool hits, which depend on GC
        // timing: the gradient-penalty soak spreads by about +-30 KB per 500-step chunk with no trend (measured:
        // 773,980 to 774,039 B/step over 12 chunks), so the last chunk is compared with the largest early chunk.
        int window = Math.Min(5, (chunks - 1) / 2);
        long earlyMax = 0;
        foreach (long a in allocated.AsSpan(1, window))
        {
            earlyMax = Math.Max(earlyMax, a);
        }

        allocated[chunks - 1].Should().BeLessThanOrEqualTo(earlyMax + 4096, "per-step allocation must not grow over the run");

        // Wall time is noisy on a shared 2-core machine; compare medians of early and late chunks with a 2x margin,
        // which a real leak-driven slowdown (a tape or pool growing per step) exceeds many times over.
        double early = Median(seconds.AsSpan(1, window)), late = Median(seconds.AsSpan(chunks - window, window));
        late.Should().BeLessThan(early * 2, "steps must not slow down as training goes on");
    }
}
