using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops.Convolution;

/// <summary>
/// Conv2d with the samples split across threads (<see cref="MiniNetSettings.MaxThreads"/> above 1 and enough work):
/// the same values as TorchSharp and as one thread, including a split with an empty last part. Not run in parallel with
/// other tests, since it changes the process-wide thread cap.
/// </summary>
[Collection(MaxThreadsCollection.Name)]
public class ConvThreadsTests
{
    /// <summary>n, c, h, w, o, padding, groups, threads: each with 2^20 multiply-adds or more, so the batch is split.</summary>
    public static TheoryData<int[]> Cases => new()
    {
        new[] { 5, 8, 20, 20, 16, 1, 1, 2 },
        new[] { 4, 16, 24, 24, 32, 0, 2, 3 }, // chunks of 2: parts [0, 2), [2, 4) and an empty [4, 4)
        new[] { 3, 32, 20, 19, 32, 1, 4, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Split_MatchesTorch_Double(int[] @case) =>
        WithThreads(@case[7], () => OpCheck<double>.AgainstTorch(
            new[] { new[] { @case[0], @case[1], @case[2], @case[3] }, new[] { @case[4], @case[1] / @case[6], 3, 3 }, new[] { @case[4] } },
            xs => xs[0].Conv2d(xs[1], xs[2], 1, @case[5], 1, @case[6]),
            ts => F.conv2d(ts[0], ts[1], ts[2], padding: new long[] { @case[5], @case[5] }, groups: @case[6]),
            gradCheck: false));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Split_MatchesTorch_Float(int[] @case) =>
        WithThreads(@case[7], () => OpCheck<float>.AgainstTorch(
            new[] { new[] { @case[0], @case[1], @case[2], @case[3] }, new[] { @case[4], @case[1] / @case[6], 3, 3 }, new[] { @case[4] } },
            xs => xs[0].Conv2d(xs[1], xs[2], 1, @case[5], 1, @case[6]),
            ts => F.conv2d(ts[0], ts[1], ts[2], padding: new long[] { @case[5], @case[5] }, groups: @case[6]),
            tolerance: Tolerances.TorchFloatLongSums)); // sums of C/groups kH kW and N outH outW products

    /// <summary>Forward and input gradient are per sample, so bit-identical; the weight gradient only adds its parts in another order.</summary>
    [Fact]
    public void TwoThreads_MatchOneThread()
    {
        var rng = new Rng(11);
        Tensor<double> x = Tensor.Randn<double>(rng, 6, 8, 16, 16), w = Tensor.Randn<double>(rng, 16, 8, 3, 3);
        Tensor<double> g = Tensor.Randn<double>(rng, 6, 16, 16, 16);
        (double[] Y, double[] Dx, double[] Dw) Run(int threads)
        {
            (double[], double[], double[]) result = default;
            WithThreads(threads, () =>
            {
                Tensor<double> xi = x.Detach(), wi = w.Detach();
                xi.RequiresGrad = wi.RequiresGrad = true;
                Tensor<double> y = xi.Conv2d(wi, null, 1, 1);
                y.Backward(g);
                result = (y.ToArray(), xi.Grad!.ToArray(), wi.Grad!.ToArray());
            });
            return result;
        }

        var one = Run(1);
        var two = Run(2);
        two.Y.Should().Equal(one.Y);
        two.Dx.Should().Equal(one.Dx);
        TorchOracle.AssertClose(two.Dw, one.Dw, Tolerances.ClosedForm, "weight gradient, 2 threads vs 1");
    }

    /// <summary>
    /// The batch split runs on the persistent GEMM workers with a reused job: once warm, a split forward and backward
    /// allocate nothing on the calling thread (Parallel.For allocated its delegates, closures and tasks every call).
    /// </summary>
    private static void WithThreads(int threads, Action action)
    {
        int saved = MiniNetSettings.MaxThreads;
        try
        {
            MiniNetSettings.MaxThreads = threads;
            action();
        }
        finally
        {
            MiniNetSettings.MaxThreads = saved;
        }
    }
}

/// <summary>Tests that change <see cref="MiniNetSettings.MaxThreads"/>, which is process-wide: never run beside others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MaxThreadsCollection
{
    public const string Name = "MaxThreads switch";
}
