using System;
using System.Collections.Generic;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops.Pooling;

/// <summary>MaxPool2d's dilation and ceil mode, AvgPool2d's ceil mode and divisor override, against TorchSharp.</summary>
public class PoolingCeilDilationTests
{
    /// <summary>n, c, h, w, kernel, stride, padding, dilation, ceil mode.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, bool> MaxCases => new()
    {
        { 1, 2, 7, 7, 3, 2, 1, 2, false },
        { 2, 1, 8, 9, 2, 2, 0, 1, true },   // odd width: ceil mode adds a clipped last column
        { 1, 3, 7, 6, 3, 2, 1, 1, true },
        { 2, 2, 9, 10, 3, 3, 1, 2, true },
        { 1, 1, 5, 5, 2, 3, 1, 1, true },   // the last window would start in the right padding: dropped (2x2, not 3x3)
        { 1, 1, 6, 6, 3, 2, 1, 1, true },   // the last window starts on the last input row: kept
        { 1, 2, 11, 8, 2, 1, 1, 3, true },
    };

    /// <summary>n, c, h, w, kernel, stride, padding, ceil mode.</summary>
    public static TheoryData<int, int, int, int, int, int, int, bool> AvgCases => new()
    {
        { 2, 2, 7, 9, 3, 2, 1, true },
        { 1, 3, 5, 5, 2, 3, 1, true },
        { 1, 1, 6, 6, 3, 2, 1, true },
        { 2, 1, 8, 9, 2, 2, 0, true },
        { 1, 2, 10, 7, 4, 3, 2, true },
        { 1, 2, 10, 7, 4, 3, 2, false },
    };

    private static long[] Pair(int v) => new long[] { v, v };

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void MaxPool2d_DilationAndCeilMode_MatchTorch(int n, int c, int h, int w, int k, int s, int p, int d, bool ceil)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].MaxPool2d(k, s, p, d, ceil),
            ts => F.max_pool2d(ts[0], Pair(k), Pair(s), Pair(p), Pair(d), ceil));
        OpCheck<float>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].MaxPool2d(k, s, p, d, ceil),
            ts => F.max_pool2d(ts[0], Pair(k), Pair(s), Pair(p), Pair(d), ceil));
    }

    [Theory]
    [MemberData(nameof(AvgCases))]
    public void AvgPool2d_CeilMode_BothDivisors_AndOverride_MatchTorch(int n, int c, int h, int w, int k, int s, int p, bool ceil)
    {
        foreach (bool includePad in new[] { true, false })
        {
            OpCheck<double>.AgainstTorch(
                new[] { new[] { n, c, h, w } },
                xs => xs[0].AvgPool2d(k, s, p, includePad, ceil),
                ts => F.avg_pool2d(ts[0], Pair(k), Pair(s), Pair(p), ceil, includePad));
            OpCheck<float>.AgainstTorch(
                new[] { new[] { n, c, h, w } },
                xs => xs[0].AvgPool2d(k, s, p, includePad, ceil),
                ts => F.avg_pool2d(ts[0], Pair(k), Pair(s), Pair(p), ceil, includePad));
        }

        OpCheck<double>.AgainstTorch(
            new[] { new[] { n, c, h, w } },
            xs => xs[0].AvgPool2d(k, s, p, ceilMode: ceil, divisorOverride: 3),
            ts => F.avg_pool2d(ts[0], Pair(k), Pair(s), Pair(p), ceil, true, 3));
    }

    [Fact]
    public void Pooling_TupleArguments_RectangularDilatedCeil_MatchTorch()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 2, 9, 8 } },
            xs => xs[0].MaxPool2d((2, 3), (1, 2), (1, 1), (2, 1), ceilMode: true),
            ts => F.max_pool2d(ts[0], new long[] { 2, 3 }, new long[] { 1, 2 }, new long[] { 1, 1 }, new long[] { 2, 1 }, true));
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 3, 7, 6 } },
            xs => xs[0].AvgPool2d((3, 2), (2, 2), (1, 0), countIncludePad: false, ceilMode: true),
            ts => F.avg_pool2d(ts[0], new long[] { 3, 2 }, new long[] { 2, 2 }, new long[] { 1, 0 }, true, false));
    }

    [Fact]
    public void MaxPool2d_DilatedCeil_SecondOrder_MatchesTorch()
    {
        // pool(x^2)^2: the second derivative runs through the pooling's differentiable backward (its adjoint, then itself).
        SecondOrderCheck.AgainstTorch(
            new[] { new[] { 2, 2, 7, 8 } },
            xs =>
            {
                Tensor<double> y = xs[0].Mul(xs[0]).MaxPool2d(3, 2, 1, 2, ceilMode: true);
                return y.Mul(y);
            },
            ts =>
            {
                var y = F.max_pool2d(ts[0] * ts[0], Pair(3), Pair(2), Pair(1), Pair(2), true);
                return y * y;
            });
    }

    [Fact]
    public void AvgPool2d_Ceil_SecondOrder_MatchesTorch()
    {
        SecondOrderCheck.AgainstTorch(
            new[] { new[] { 1, 3, 7, 6 } },
            xs =>
            {
                Tensor<double> y = xs[0].Mul(xs[0]).AvgPool2d(3, 2, 1, countIncludePad: false, ceilMode: true);
                return y.Mul(y);
            },
            ts =>
            {
                var y = F.avg_pool2d(ts[0] * ts[0], Pair(3), Pair(2), Pair(1), true, false);
                return y * y;
            });
    }

    [Fact]
    public void OutputSizes_AndValues_MatchTorch_OverEveryLittleGeometry()
    {
        // Every input size 1..9 with kernels 1..4, strides 1..3, legal paddings, dilations 1..3, both modes: same shape
        // and values as TorchSharp, or both refuse. MiniNet also refuses windows that hold no input element, where
        // TorchSharp returns -inf (listed, not compared).
        var refusedByMiniNetOnly = new List<string>();
        var rng = new Rng(3);
        for (int size = 1; size <= 9; size++)
        {
            Tensor<double> x = Tensor.Randn<double>(rng, 1, 1, size, size);
            using var scope = torch.NewDisposeScope();
            var tx = TorchOracle.ToTorch(x);
            for (int k = 1; k <= 4; k++)
            {
                for (int s = 1; s <= 3; s++)
                {
                    for (int p = 0; p <= k / 2; p++)
                    {
                        for (int d = 1; d <= 3; d++)
                        {
                            foreach (bool ceil in new[] { false, true })
                            {
                                string what = $"size {size}, k {k}, s {s}, p {p}, d {d}, ceil {ceil}";
                                double[]? expected = null;
                                int[]? expectedShape = null;
                                try
                                {
                                    var ty = F.max_pool2d(tx, Pair(k), Pair(s), Pair(p), Pair(d), ceil);
                                    (expected, expectedShape) = (TorchOracle.Values(ty), TorchOracle.ShapeOf(ty));
                                }
                                catch (Exception)
                                {
                                }

                                Tensor<double>? y = null;
                                try
                                {
                                    y = x.MaxPool2d(k, s, p, d, ceil);
                                }
                                catch (ArgumentException e)
                                {
                                    e.Message.Should().StartWith("MaxPool2d", what);
                                    if (expected is not null)
                                    {
                                        expected.Should().Contain(double.NegativeInfinity, $"{what}: MiniNet refused ({e.Message}) where TorchSharp did not");
                                        refusedByMiniNetOnly.Add(what);
                                    }

                                    continue;
                                }

                                expected.Should().NotBeNull($"{what}: TorchSharp refused but MiniNet gave {y.Shape}");
                                y.Shape.ToArray().Should().Equal(expectedShape!, what);
                                TorchOracle.AssertClose(y.ToArray(), expected!, Tolerances.TorchDouble, what);
                                if (d == 1)
                                {
                                    var ta = F.avg_pool2d(tx, Pair(k), Pair(s), Pair(p), ceil, false);
                                    TorchOracle.AssertClose(x.AvgPool2d(k, s, p, countIncludePad: false, ceilMode: ceil).ToArray(), TorchOracle.Values(ta), Tolerances.TorchDouble, "avg " + what);
                                }
                            }
                        }
                    }
                }
            }
        }

        refusedByMiniNetOnly.Should().OnlyContain(w => !w.Contains("d 1,"), "with dilation 1 every window holds an input element");
    }

    [Fact]
    public void MaxPool2d_RefusesAWindowOfPaddingOnly_NamingIt()
    {
        // k 2, dilation 3, padding 1 on a 2x2 input: the one window's taps are -1 and 2, both outside the input.
        Action act = () => Tensor.Zeros(1, 1, 2, 2).MaxPool2d(2, 1, 1, dilation: 3);
        act.Should().Throw<ArgumentException>().WithMessage("MaxPool2d: window 0 along the height*no element of the input*");
    }

    [Fact]
    public void Pooling_Throws_OnBadDilationOrDivisor()
    {
        Action dilation = () => Tensor.Zeros(1, 1, 5, 5).MaxPool2d(2, dilation: 0);
        dilation.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MaxPool2d: dilation (0, 0)*");
        Action divisor = () => Tensor.Zeros(1, 1, 5, 5).AvgPool2d(2, divisorOverride: 0);
        divisor.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*AvgPool2d: divisorOverride*");
        Action tooSmall = () => Tensor.Zeros(1, 1, 2, 5).MaxPool2d(3, 1, ceilMode: true); // with stride 3 it would be one clipped window
        tooSmall.Should().Throw<ArgumentException>().WithMessage("MaxPool2d: the input 2x5*too small*ceil mode*");
    }

    [Fact]
    public void Modules_PassDilationCeilModeAndDivisor()
    {
        Tensor<double> x = Tensor.Randn<double>(new Rng(1), 1, 2, 7, 7);
        new MiniNet.NN.MaxPool2d<double>(3, 2, 1, dilation: 2, ceilMode: true).Forward(x).ToArray()
            .Should().Equal(x.MaxPool2d(3, 2, 1, 2, true).ToArray());
        new MiniNet.NN.AvgPool2d<double>(2, 2, 1, countIncludePad: false, ceilMode: true, divisorOverride: 5).Forward(x).ToArray()
            .Should().Equal(x.AvgPool2d(2, 2, 1, false, true, 5).ToArray());
    }
}
