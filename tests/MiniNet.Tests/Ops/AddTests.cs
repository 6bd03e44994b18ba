using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class AddTests
{
    public static TheoryData<int[], int[]> Pairs => BroadcastCases.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Backward_MatchesTorch_Double(int[] left, int[] right) =>
        OpCheck.AgainstTorch(new[] { left, right }, xs => xs[0].Add(xs[1]), ts => torch.add(ts[0], ts[1]));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Backward_MatchesTorch_Float(int[] left, int[] right) =>
        OpCheck.AgainstTorchFloat(new[] { left, right }, xs => xs[0].Add(xs[1]), ts => torch.add(ts[0], ts[1]));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void OnlyOneInputRequiresGrad_MatchesTorch(bool leftGrad, bool rightGrad) =>
        OpCheck.AgainstTorch(new[] { new[] { 4, 3 }, new[] { 4, 1 } }, xs => xs[0].Add(xs[1]), ts => torch.add(ts[0], ts[1]), gradInputs: new[] { leftGrad, rightGrad });

    [Fact]
    public void Throws_OnShapeMismatch_NamingBothShapesAndOp()
    {
        Action act = () => Tensor.Zeros<double>(4, 3).Add(Tensor.Zeros<double>(2));
        act.Should().Throw<ArgumentException>().WithMessage("*Add*[4, 3]*[2]*");
        Action act3 = () => Tensor.Zeros<float>(2, 3, 4).Add(Tensor.Zeros<float>(3, 3));
        act3.Should().Throw<ArgumentException>().WithMessage("*Add*[2, 3, 4]*[3, 3]*");
    }

    public static TheoryData<int[], double> ScalarCases => new()
    {
        { Array.Empty<int>(), 2.5 }, { new[] { 5 }, -1.75 }, { new[] { 4, 3 }, 3 }, { new[] { 2, 1, 4 }, -0.5 }, { new[] { 0, 3 }, 2 },
    };

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarOverload_MatchesTorch_Double(int[] shape, double c) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Add(c), ts => ts[0].add(c));

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarOverload_MatchesTorch_Float(int[] shape, double c) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Add((float)c), ts => ts[0].add((float)c));
}
