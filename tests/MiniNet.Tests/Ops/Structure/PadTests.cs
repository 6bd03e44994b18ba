using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class PadTests
{
    public static TheoryData<int[], int[], double> PadCases => new()
    {
        { [2, 3], [1, 2], 0 },
        { [2, 3], [1, 2, 0, 1], 0.5 },
        { [2, 3, 4], [0, 0, 2, 1, 1, 1], -3 },
        { [3, 4], [-1, 2], 0 }, // negative: crop the first column
        { [3, 4], [-1, -2, 1, -1], 7 }, // crop and pad at once
        { [2, 3], [], 0 },
        { [5], [3, 3], 1 },
        { [0, 2], [1, 1, 1, 0], 2 }, // empty input: everything is padding
        { [2, 2], [-2, 0], 0 }, // cropped to an empty result
    };

    [Theory]
    [MemberData(nameof(PadCases))]
    public void MatchesTorch_Double(int[] shape, int[] pads, double value) =>
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Pad(pads, value), ts => F.pad(ts[0], Longs(pads), value: value));

    [Theory]
    [MemberData(nameof(PadCases))]
    public void MatchesTorch_Float(int[] shape, int[] pads, double value) =>
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Pad(pads, value), ts => F.pad(ts[0], Longs(pads), value: value));

    [Fact]
    public void SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[3, 4]],
            xs => xs[0].Pad([1, -1, 2, 0], 0.25).Tanh().Mul(xs[0].Pad([0, 0, 2, 0])),
            ts => F.pad(ts[0], [1, -1, 2, 0], value: 0.25).tanh() * F.pad(ts[0], [0, 0, 2, 0]));

    [Fact]
    public void Throws_OnBadPads_NamingShapeAndPads()
    {
        var x = Tensor.Zeros<float>(2, 3);
        FluentActions.Invoking(() => x.Pad([1])).Should().Throw<ArgumentException>().WithMessage("Pad: got 1 pad sizes [1] for shape [2, 3]*");
        FluentActions.Invoking(() => x.Pad([1, 1, 1, 1, 1, 1])).Should().Throw<ArgumentException>().WithMessage("Pad: got 6 pad sizes*at most 2 * rank = 4*");
        FluentActions.Invoking(() => x.Pad([-2, -2])).Should().Throw<ArgumentException>().WithMessage("Pad: pads (-2, -2) on dimension 1 of shape [2, 3] would give size -1*");
    }

    private static long[] Longs(int[] values) => Array.ConvertAll(values, v => (long)v);
}
