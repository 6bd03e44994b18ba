using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class SumTests
{
    public static TheoryData<int[], int, bool> AxisCases => ReductionCases.ShapeAxisKeepDim;

    public static TheoryData<int[]> Shapes => ReductionCases.AllShapes;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void All_MatchesTorch_Double(int[] shape) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Sum(), ts => ts[0].sum());

    [Theory]
    [MemberData(nameof(Shapes))]
    public void All_MatchesTorch_Float(int[] shape) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Sum(), ts => ts[0].sum());

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Double(int[] shape, int axis, bool keepDim) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Sum(axis, keepDim), ts => ts[0].sum(axis, keepDim));

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Float(int[] shape, int axis, bool keepDim) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Sum(axis, keepDim), ts => ts[0].sum(axis, keepDim));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    [InlineData(-2, true)]
    public void EmptyInput_MatchesTorch(int axis, bool keepDim)
    {
        OpCheck<double>.AgainstTorch(new[] { new[] { 0, 3 } }, xs => xs[0].Sum(axis, keepDim), ts => ts[0].sum(axis, keepDim));
        OpCheck<float>.AgainstTorch(new[] { new[] { 0, 3 } }, xs => xs[0].Sum(axis, keepDim), ts => ts[0].sum(axis, keepDim));
    }

    [Fact]
    public void OfEmpty_IsZero()
    {
        Tensor.Zeros<double>(0).Sum().Item().Should().Be(0);
        Tensor.Zeros<float>(3, 0).Sum().Item().Should().Be(0);
        Tensor.Zeros<double>(0, 3).Sum(0).ToArray().Should().Equal(0, 0, 0);
        OpCheck<double>.AgainstTorch(new[] { new[] { 0 } }, xs => xs[0].Sum(), ts => ts[0].sum());
    }

    [Fact]
    public void LargeInput_MatchesTorch()
    {
        OpCheck<double>.AgainstTorch(new[] { new[] { 3, 1000 } }, xs => xs[0].Sum(), ts => ts[0].sum(), gradCheck: false);
        OpCheck<double>.AgainstTorch(new[] { new[] { 70, 40 } }, xs => xs[0].Sum(0), ts => ts[0].sum(0L), gradCheck: false);

        // In float, a sum of 40 signed terms that cancels to ~0 differs from TorchSharp's (summed in another order) by a
        // rounding of the partial sums (~1e-7 absolute), which no relative bound can cover; positive inputs keep every
        // sum away from 0, so the comparison still checks the kernel at Tolerances.TorchFloat.
        OpCheck<float>.AgainstTorch(new[] { new[] { 70, 40 } }, xs => xs[0].Sum(1), ts => ts[0].sum(1L), sample: v => Math.Abs(v) + 0.5);
        OpCheck<float>.AgainstTorch(new[] { new[] { 70, 40 } }, xs => xs[0].Sum(0), ts => ts[0].sum(0L), sample: v => Math.Abs(v) + 0.5);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void Throws_OnAxisOutOfRange_NamingShape(int axis)
    {
        var x = Tensor.Zeros<double>(2, 3);
        Action act = () => x.Sum(axis);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Sum*[2, 3]*");
    }

    [Fact]
    public void Throws_OnScalarAxisOutOfRange()
    {
        Action act = () => Tensor.Scalar(1.0).Sum(1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*scalar*");
    }

    [Fact]
    public void IsOneTapeEntry_AndNotRecordedWithoutGrad()
    {
        Tape.Current.Clear();
        var x = Tensor.Ones<double>(2, 3);
        _ = x.Sum(1);
        Tape.Current.Count.Should().Be(0, "no input requires a gradient");
        x.RequiresGrad = true;
        _ = x.Sum(1);
        Tape.Current.Count.Should().Be(1);
        Tape.Current.Clear();
    }
}
