using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class SubTests
{
    public static TheoryData<int[], int[]> Pairs => BroadcastCases.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Backward_MatchesTorch_Double(int[] left, int[] right) =>
        OpCheck.AgainstTorch(new[] { left, right }, xs => xs[0].Sub(xs[1]), ts => torch.sub(ts[0], ts[1]));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Backward_MatchesTorch_Float(int[] left, int[] right) =>
        OpCheck.AgainstTorchFloat(new[] { left, right }, xs => xs[0].Sub(xs[1]), ts => torch.sub(ts[0], ts[1]));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void OnlyOneInputRequiresGrad_MatchesTorch(bool leftGrad, bool rightGrad) =>
        OpCheck.AgainstTorch(new[] { new[] { 4, 3 }, new[] { 4, 1 } }, xs => xs[0].Sub(xs[1]), ts => torch.sub(ts[0], ts[1]), gradInputs: new[] { leftGrad, rightGrad });

    [Fact]
    public void Throws_OnShapeMismatch_NamingBothShapesAndOp()
    {
        Action act = () => Tensor.Zeros<double>(4, 3).Sub(Tensor.Zeros<double>(2));
        act.Should().Throw<ArgumentException>().WithMessage("*Sub*[4, 3]*[2]*");
        Action act3 = () => Tensor.Zeros<float>(2, 3, 4).Sub(Tensor.Zeros<float>(3, 3));
        act3.Should().Throw<ArgumentException>().WithMessage("*Sub*[2, 3, 4]*[3, 3]*");
    }
}
