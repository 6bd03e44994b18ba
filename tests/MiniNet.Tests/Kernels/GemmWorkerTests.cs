using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// The 2-thread splits on GemmWorkers' persistent threads (a product, a convolution), alone in the process: while another
/// test's product holds the workers a split falls back to Parallel.For, which allocates (the convolution's test failed
/// so once in a full .ci/run, in the DOTNET_EnableAVX512=0 pass, while it ran beside other classes).
/// </summary>
[Collection(MiniNet.Tests.Reliability.ProcessMemoryCollection.Name)]
public class GemmWorkerTests
{
    [Fact]
    public void SplitProduct_SteadyState_AllocatesNothing()
    {
        // The split runs on GemmWorkers' persistent threads (Parallel.For allocated ~3.5 KB per call).
        var a = new float[128 * 128];
        var b = new float[128 * 128];
        var c = new float[128 * 128];
        Gemm.Multiply<float>(a, false, b, false, c, 128, 128, 128, accumulate: false, GemmPath.Packed512, maxThreads: 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            Gemm.Multiply<float>(a, false, b, true, c, 128, 128, 128, accumulate: false, GemmPath.Packed512, maxThreads: 2);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "the split instance and the workers are reused");
    }

    [Fact]
    public void ConvSplit_SteadyState_AllocatesNothing()
    {
        int saved = MiniNetSettings.MaxThreads;
        MiniNetSettings.MaxThreads = 2; // process-wide: safe here, no other class runs alongside
        try
        {
            var g = new ConvGeometry(4, 8, 20, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
            var rng = new Rng(12);
            float[] x = Tensor.Randn<float>(rng, 4, 8, 20, 20).ToArray(), w = Tensor.Randn<float>(rng, 32, 8, 3, 3).ToArray();
            float[] y = new float[4 * 32 * 400], gradX = new float[x.Length], gradW = new float[w.Length];
            void Step()
            {
                ConvKernel.Forward<float>(g, 1, x, w, default, 32, y);
                ConvKernel.Backward<float>(g, 1, 32, x, w, y, gradX, gradW, accumulateW: false);
            }

            for (int i = 0; i < 5; i++)
            {
                Step();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                Step();
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "a warm 2-thread conv split reuses its job, scratch and workers");
        }
        finally
        {
            MiniNetSettings.MaxThreads = saved;
        }
    }
}
