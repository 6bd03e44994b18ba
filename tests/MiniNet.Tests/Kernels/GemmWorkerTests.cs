using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// The 2-thread split on GemmWorkers' persistent threads, alone in the process: while another test's product holds
/// the workers a split falls back to Parallel.For, which allocates.
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
}
