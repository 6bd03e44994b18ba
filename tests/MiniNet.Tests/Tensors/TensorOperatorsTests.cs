using System;
using MiniNet.Tests.Infrastructure;
using MiniNet.Tests.Ops;
using Xunit;

namespace MiniNet.Tests.Tensors;

public class TensorOperatorsTests
{
    public static TheoryData<int[], int[]> Pairs => BroadcastCases.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void TensorTensor_MatchTorch_Double(int[] left, int[] right)
    {
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => xs[0] + xs[1], ts => ts[0] + ts[1]);
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => xs[0] - xs[1], ts => ts[0] - ts[1]);
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => xs[0] * xs[1], ts => ts[0] * ts[1]);
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => xs[0] / xs[1], ts => ts[0] / ts[1], sample: BroadcastCases.AwayFromZero);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void TensorTensor_MatchTorch_Float(int[] left, int[] right)
    {
        OpCheck<float>.AgainstTorch(new[] { left, right }, xs => xs[0] + xs[1], ts => ts[0] + ts[1]);
        OpCheck<float>.AgainstTorch(new[] { left, right }, xs => xs[0] - xs[1], ts => ts[0] - ts[1]);
        OpCheck<float>.AgainstTorch(new[] { left, right }, xs => xs[0] * xs[1], ts => ts[0] * ts[1]);
        OpCheck<float>.AgainstTorch(new[] { left, right }, xs => xs[0] / xs[1], ts => ts[0] / ts[1], sample: BroadcastCases.AwayFromZero);
    }

    public static TheoryData<int[]> Shapes => new() { Array.Empty<int>(), new[] { 5 }, new[] { 4, 3 }, new[] { 0, 2 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TensorScalar_BothSides_MatchTorch_Double(int[] shape)
    {
        int[][] shapes = { shape };
        OpCheck<double>.AgainstTorch(shapes, xs => xs[0] + 2.5, ts => ts[0] + 2.5);
        OpCheck<double>.AgainstTorch(shapes, xs => 2.5 + xs[0], ts => ts[0] + 2.5);
        OpCheck<double>.AgainstTorch(shapes, xs => xs[0] - 1.25, ts => ts[0] - 1.25);
        OpCheck<double>.AgainstTorch(shapes, xs => 1.25 - xs[0], ts => ts[0].neg() + 1.25);
        OpCheck<double>.AgainstTorch(shapes, xs => -xs[0], ts => ts[0].neg());
        OpCheck<double>.AgainstTorch(shapes, xs => xs[0] * -3.0, ts => ts[0] * -3.0);
        OpCheck<double>.AgainstTorch(shapes, xs => -3.0 * xs[0], ts => ts[0] * -3.0);
        OpCheck<double>.AgainstTorch(shapes, xs => xs[0] / 4.0, ts => ts[0] / 4.0);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TensorScalar_BothSides_MatchTorch_Float(int[] shape)
    {
        int[][] shapes = { shape };
        OpCheck<float>.AgainstTorch(shapes, xs => xs[0] + 2.5f, ts => ts[0] + 2.5f);
        OpCheck<float>.AgainstTorch(shapes, xs => 2.5f + xs[0], ts => ts[0] + 2.5f);
        OpCheck<float>.AgainstTorch(shapes, xs => xs[0] - 1.25f, ts => ts[0] - 1.25f);
        OpCheck<float>.AgainstTorch(shapes, xs => 1.25f - xs[0], ts => ts[0].neg() + 1.25f);
        OpCheck<float>.AgainstTorch(shapes, xs => -xs[0], ts => ts[0].neg());
        OpCheck<float>.AgainstTorch(shapes, xs => xs[0] * -3f, ts => ts[0] * -3f);
        OpCheck<float>.AgainstTorch(shapes, xs => -3f * xs[0], ts => ts[0] * -3f);
        OpCheck<float>.AgainstTorch(shapes, xs => xs[0] / 4f, ts => ts[0] / 4f);
    }

    [Fact]
    public void Chain_MatchesTorch()
    {
        // A small expression mixing every operator, so a wrong precedence or wrong overload shows.
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 3, 4 }, new[] { 4 } },
            xs => (((xs[0] * xs[1]) - (2.0 * xs[0])) / (xs[1] * xs[1] + 1.0)) + (1.0 - xs[1]),
            ts => (((ts[0] * ts[1]) - (ts[0] * 2.0)) / (ts[1] * ts[1] + 1.0)) + (ts[1].neg() + 1.0));
    }
}
