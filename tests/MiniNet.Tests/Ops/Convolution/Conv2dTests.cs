using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops.Convolution;

public class Conv2dTests
{
    /// <summary>n, c, h, w, o, kH, kW, stride, padding, dilation, groups.</summary>
    public static TheoryData<int[]> Cases => new()
    {
        new[] { 1, 1, 5, 5, 1, 3, 3, 1, 0, 1, 1 },
        new[] { 2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1 },
        new[] { 3, 2, 9, 8, 5, 3, 2, 2, 1, 1, 1 },
        new[] { 2, 4, 8, 9, 6, 3, 3, 1, 2, 2, 2 },
        new[] { 1, 6, 5, 7, 6, 3, 3, 2, 1, 1, 6 },
        new[] { 2, 4, 6, 5, 8, 1, 1, 1, 0, 1, 1 },
        new[] { 2, 4, 6, 5, 4, 1, 1, 2, 0, 1, 2 },
        new[] { 1, 3, 11, 10, 2, 5, 4, 3, 2, 1, 1 },
        new[] { 2, 2, 4, 4, 3, 4, 4, 1, 0, 1, 1 },
        new[] { 1, 2, 6, 7, 2, 2, 3, 1, 1, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndBackward_MatchTorch_Double(int[] @case)
    {
        var (n, c, h, w, o, kh, kw) = (@case[0], @case[1], @case[2], @case[3], @case[4], @case[5], @case[6]);
        var (s, p, d, groups) = (@case[7], @case[8], @case[9], @case[10]);
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, c, h, w }, new[] { o, c / groups, kh, kw }, new[] { o } },
            xs => xs[0].Conv2d(xs[1], xs[2], s, p, d, groups),
            ts => F.conv2d(ts[0], ts[1], ts[2], strides: new long[] { s, s }, padding: new long[] { p, p }, dilation: new long[] { d, d }, groups: groups));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndBackward_MatchTorch_Float(int[] @case)
    {
        var (n, c, h, w, o, kh, kw) = (@case[0], @case[1], @case[2], @case[3], @case[4], @case[5], @case[6]);
        var (s, p, d, groups) = (@case[7], @case[8], @case[9], @case[10]);
        // Each output and weight-gradient element sums C/groups kH kW (or N outH outW) signed products.
        OpCheck<float>.AgainstTorch(
            new[] { new[] { n, c, h, w }, new[] { o, c / groups, kh, kw }, new[] { o } },
            xs => xs[0].Conv2d(xs[1], xs[2], s, p, d, groups),
            ts => F.conv2d(ts[0], ts[1], ts[2], strides: new long[] { s, s }, padding: new long[] { p, p }, dilation: new long[] { d, d }, groups: groups),
            tolerance: Tolerances.TorchFloatLongSums);
    }

    [Theory]
    [InlineData(3, 3, 1)]
    [InlineData(4, 2, 1)]
    [InlineData(3, 4, 2)]
    [InlineData(5, 1, 3)]
    public void SamePadding_KeepsSize_AndMatchesTorch(int kh, int kw, int d)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 3, 7, 8 }, new[] { 4, 3, kh, kw }, new[] { 4 } },
            xs =>
            {
                Tensor<double> y = xs[0].Conv2d(xs[1], xs[2], ConvPadding.Same, dilation: d);
                y.Shape.ToArray().Should().Equal(2, 4, 7, 8);
                return y;
            },
            ts =>
            {
                // PyTorch's padding='same' pads d (k - 1) per axis, the extra one of an odd total after (right, bottom).
                long th = d * (kh - 1), tw = d * (kw - 1);
                var padded = F.pad(ts[0], new[] { tw / 2, tw - (tw / 2), th / 2, th - (th / 2) });
                return F.conv2d(padded, ts[1], ts[2], dilation: new long[] { d, d });
            });
    }

    [Fact]
    public void TupleArguments_MatchTorch_Double()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 2, 9, 7 }, new[] { 3, 2, 3, 2 } },
            xs => xs[0].Conv2d(xs[1], null, (2, 1), (1, 0), (1, 2)),
            ts => F.conv2d(ts[0], ts[1], strides: new long[] { 2, 1 }, padding: new long[] { 1, 0 }, dilation: new long[] { 1, 2 }));
    }

    [Fact]
    public void OnlyWeightNeedsGrad_MatchesTorch()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 3, 6, 6 }, new[] { 4, 3, 3, 3 }, new[] { 4 } },
            xs => xs[0].Conv2d(xs[1], xs[2], padding: 1),
            ts => F.conv2d(ts[0], ts[1], ts[2], padding: new long[] { 1, 1 }),
            gradInputs: new[] { false, true, false });
    }

    [Theory]
    [InlineData(1e-150)]
    [InlineData(1e150)]
    public void TinyAndHugeInputs_MatchTorch_Double(double scale)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 1, 2, 5, 5 }, new[] { 3, 2, 3, 3 } },
            xs => xs[0].Conv2d(xs[1], null, padding: 1),
            ts => F.conv2d(ts[0], ts[1], padding: new long[] { 1, 1 }),
            sample: v => v * scale,
            gradCheck: false);
    }

    [Fact]
    public void InPlaceChangeOfInput_AfterForward_Throws_ButBiasMayChange()
    {
        var x = Tensor.Randn<double>(new Rng(1), 1, 1, 4, 4);
        var w = Tensor.Randn<double>(new Rng(2), 2, 1, 3, 3);
        var b = Tensor.Zeros<double>(2);
        w.RequiresGrad = b.RequiresGrad = true;
        Tensor<double> y = x.Conv2d(w, b);
        b.AsSpanForWrite()[0] = 1;
        y.Sum().Backward();
        w.Grad.Should().NotBeNull("backward reads x and the weight, not the bias");
        Tensor<double> z = x.Conv2d(w, b);
        x.AsSpanForWrite()[0] = 5;
        Action act = () => z.Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*modified in place*");
    }

    [Fact]
    public void Throws_OnChannelMismatch_NamingShapes()
    {
        Action act = () => Tensor.Zeros(1, 3, 5, 5).Conv2d(Tensor.Zeros(2, 2, 3, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*[1, 3, 5, 5]*[2, 2, 3, 3]*");
    }

    [Fact]
    public void Throws_WhenKernelLargerThanPaddedInput()
    {
        Action act = () => Tensor.Zeros(1, 1, 2, 2).Conv2d(Tensor.Zeros(1, 1, 3, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*smaller than the (dilated) kernel*");
    }

    [Fact]
    public void Throws_OnSamePaddingWithStride()
    {
        Action act = () => Tensor.Zeros(1, 1, 5, 5).Conv2d(Tensor.Zeros(1, 1, 3, 3), null, ConvPadding.Same, stride: 2);
        act.Should().Throw<ArgumentException>().WithMessage("*stride 1*");
    }

    [Fact]
    public void IsOneTapeEntry()
    {
        Tape.Current.Clear();
        var w = Tensor.Randn<double>(new Rng(1), 2, 1, 3, 3);
        w.RequiresGrad = true;
        _ = Tensor.Zeros<double>(1, 1, 4, 4).Conv2d(w, Tensor.Zeros<double>(2));
        Tape.Current.Count.Should().Be(1);
        Tape.Current.Clear();
    }
}
