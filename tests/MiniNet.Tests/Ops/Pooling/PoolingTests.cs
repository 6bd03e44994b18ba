using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops.Convolution;

public class PoolingTests
{
    /// <summary>n, c, h, w, kernel, stride, padding.</summary>
    public static TheoryData<int, int, int, int, int, int, int> Cases => new()
    {
        { 1, 1, 4, 4, 2, 2, 0 },
        { 2, 3, 7, 6, 2, 2, 0 },
        { 2, 2, 7, 9, 3, 2, 1 },
        { 1, 3, 5, 5, 3, 1, 1 },
        { 3, 1, 6, 5, 2, 1, 1 },
        { 1, 2, 8, 7, 4, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxPool2d_MatchesTorch_Double(int n, int c, int h, int w, int k, int s, int p)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].MaxPool2d(k, s, p),
            ts => F.max_pool2d(ts[0], new long[] { k, k }, new long[] { s, s }, new long[] { p, p }));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxPool2d_MatchesTorch_Float(int n, int c, int h, int w, int k, int s, int p)
    {
        OpCheck<float>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].MaxPool2d(k, s, p),
            ts => F.max_pool2d(ts[0], new long[] { k, k }, new long[] { s, s }, new long[] { p, p }));
    }

    [Fact]
    public void MaxPool2d_DefaultStride_IsKernel()
    {
        var x = Tensor.FromArray<float>(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, 1, 1, 4, 4);
        x.MaxPool2d(2).ToArray().Should().Equal(6f, 8f, 14f, 16f);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AvgPool2d_MatchesTorch_Double(int n, int c, int h, int w, int k, int s, int p)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].AvgPool2d(k, s, p),
            ts => F.avg_pool2d(ts[0], new long[] { k, k }, new long[] { s, s }, new long[] { p, p }));
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].AvgPool2d(k, s, p, countIncludePad: false),
            ts => F.avg_pool2d(ts[0], new long[] { k, k }, new long[] { s, s }, new long[] { p, p }, count_include_pad: false));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(5, 7)]
    [InlineData(4, 3)]
    public void AdaptiveAvgPool2d_MatchesTorch_Double(int outH, int outW)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 3, 7, 5 } },
            xs => xs[0].AdaptiveAvgPool2d(outH, outW),
            ts => F.adaptive_avg_pool2d(ts[0], new long[] { outH, outW }));
    }

    [Fact]
    public void MaxPool2d_PropagatesNaN_AndIgnoresPadding_AndRoutesGradientToFirstMax()
    {
        var x = Tensor.FromArray<double>(new[] { 1.0, double.NaN, 3, 4, -5, -6, -7, -8, 2, 2, 2, 2 }, 1, 3, 2, 2);
        x.RequiresGrad = true;
        Tensor<double> y = x.MaxPool2d(2);
        y.ToArray()[0].Should().Be(double.NaN);
        y.ToArray()[1].Should().Be(-5);
        x.MaxPool2d(3, 1, 1).ToArray()[4].Should().Be(-5, "padding counts as -inf, never 0");
        y.Backward(Tensor.Ones<double>(1, 3, 1, 1));
        x.Grad!.ToArray().Should().Equal(0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);
    }

    [Fact]
    public void MaxPool2d_InRecycledSteps_ReusesItsIndexBuffer_AndRoutesEachStepsGradient()
    {
        // Each step's argmax indices (one int per output, 32 KB here) come from this thread's buffer pool and go back
        // when backward recycles the tape. A reused, dirty index buffer must still route every gradient to that step's
        // own maxima: the references are computed first, outside recycling, so they take nothing from the pool.
        var rng = new Rng(7);
        Tensor<float> g = Tensor.Randn<float>(rng, 4, 8, 16, 16);
        var inputs = new Tensor<float>[4];
        var expected = new float[inputs.Length][];
        for (int step = 0; step < inputs.Length; step++)
        {
            inputs[step] = Tensor.Randn<float>(rng, 4, 8, 32, 32);
            Tensor<float> reference = inputs[step].Detach();
            reference.RequiresGrad = true;
            reference.MaxPool2d(2).Mul(g).Sum().Backward();
            expected[step] = reference.Grad!.ToArray();
        }

        for (int step = 0; step < inputs.Length; step++)
        {
            Tensor<float> x = inputs[step];
            x.RequiresGrad = true;
            long allocated;
            using (MiniNet.Autograd.RecycleIntermediates())
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Tensor<float> y = x.MaxPool2d(2);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                y.Mul(g).Sum().Backward();
            }

            x.Grad!.ToArray().Should().Equal(expected[step], $"step {step}");
            if (step > 0)
            {
                allocated.Should().BeLessThan(8 * 1024, "the output and the 32 KB of indices come back from the pool; only the tensor and tape objects are new");
            }
        }
    }

    [Fact]
    public void Pooling_OfRank3Input_MatchesTorch_Double()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 3, 6, 5 } },
            xs => xs[0].MaxPool2d(2, 1, 1),
            ts => F.max_pool2d(ts[0], new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 1, 1 }));
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 3, 6, 5 } },
            xs => xs[0].AdaptiveAvgPool2d(4, 3),
            ts => F.adaptive_avg_pool2d(ts[0], new long[] { 4, 3 }));
    }

    [Fact]
    public void Pooling_Throws_OnPaddingAboveHalfKernel()
    {
        Action act = () => Tensor.Zeros(1, 1, 5, 5).MaxPool2d(2, 1, 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*half the kernel*");
    }
}
