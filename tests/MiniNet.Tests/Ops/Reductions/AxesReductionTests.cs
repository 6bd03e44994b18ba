using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

/// <summary>Sum and Mean over several axes at once.</summary>
public class AxesReductionTests
{
    public static TheoryData<int[], int[], bool> Cases
    {
        get
        {
            var data = new TheoryData<int[], int[], bool>();
            (int[] Shape, int[] Axes)[] cases =
            [
                ([2, 3, 4], [0, 2]), ([2, 3, 4], [-1, 0]), ([2, 3, 4], [1]), ([2, 3, 4], [0, 1, 2]), ([2, 3, 4], []),
                ([2, 1, 3, 2], [1, 3]), ([4, 3], [-2]), ([], [0]), ([], []), ([0, 3], [0]), ([3, 0], [0]),
            ];
            foreach ((int[] shape, int[] axes) in cases)
            {
                data.Add(shape, axes, false);
                data.Add(shape, axes, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sum_MatchesTorch(int[] shape, int[] axes, bool keepDim)
    {
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Sum(axes, keepDim), ts => ts[0].sum(Longs(axes), keepDim));
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Sum(axes, keepDim), ts => ts[0].sum(Longs(axes), keepDim));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mean_MatchesTorch(int[] shape, int[] axes, bool keepDim)
    {
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Mean(axes, keepDim), ts => ts[0].mean(Longs(axes), keepDim));
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Mean(axes, keepDim), ts => ts[0].mean(Longs(axes), keepDim));
    }

    [Fact]
    public void SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[2, 3, 4]],
            xs => xs[0].Tanh().Sum([0, 2], keepDim: true).Mul(xs[0]).Mul(xs[0].Mean([1], keepDim: true)).Sum([2, 1]),
            ts => (ts[0].tanh().sum(new long[] { 0, 2 }, true) * ts[0] * ts[0].mean(new long[] { 1 }, true)).sum(new long[] { 2, 1 }, false));

    [Fact]
    public void Throws_OnRepeatedOrBadAxis()
    {
        var x = Tensor.Zeros<float>(2, 3);
        FluentActions.Invoking(() => x.Sum([1, -1])).Should().Throw<ArgumentException>().WithMessage("Sum: axis 1 appears more than once in [1, -1] (shape [2, 3])*");
        FluentActions.Invoking(() => x.Mean([0, 2])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Mean*[2, 3]*");
    }

    private static long[] Longs(int[] axes) => axes.Select(a => (long)a).ToArray();
}
