using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class MeanTests
{
    public static TheoryData<int[], int, bool> AxisCases => ReductionCases.ShapeAxisKeepDim;

    public static TheoryData<int[]> Shapes => ReductionCases.AllShapes;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void All_MatchesTorch_Double(int[] shape) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Mean(), ts => ts[0].mean());

    [Theory]
    [MemberData(nameof(Shapes))]
    public void All_MatchesTorch_Float(int[] shape) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Mean(), ts => ts[0].mean());

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Double(int[] shape, int axis, bool keepDim) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Mean(axis, keepDim), ts => ts[0].mean(new long[] { axis }, keepDim));

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Float(int[] shape, int axis, bool keepDim) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Mean(axis, keepDim), ts => ts[0].mean(new long[] { axis }, keepDim));

    [Fact]
    public void OfEmpty_IsNaN_LikeTorch()
    {
        Tensor.Zeros<double>(0).Mean().Item().Should().Be(double.NaN);
        float.IsNaN(Tensor.Zeros<float>(2, 0).Mean().Item()).Should().BeTrue();
        Tensor.Zeros<double>(0, 3).Mean(0).ToArray().Should().OnlyContain(v => double.IsNaN(v));
        OpCheck<double>.AgainstTorch(new[] { new[] { 0, 3 } }, xs => xs[0].Mean(), ts => ts[0].mean());
        OpCheck<double>.AgainstTorch(new[] { new[] { 0, 3 } }, xs => xs[0].Mean(0), ts => ts[0].mean(new long[] { 0 }));
        OpCheck<double>.AgainstTorch(new[] { new[] { 0, 3 } }, xs => xs[0].Mean(1, true), ts => ts[0].mean(new long[] { 1 }, true));
    }

    [Fact]
    public void Throws_OnAxisOutOfRange_NamingShape()
    {
        var x = Tensor.Zeros<double>(4);
        Action act = () => x.Mean(1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Mean*[4]*");
    }
}
