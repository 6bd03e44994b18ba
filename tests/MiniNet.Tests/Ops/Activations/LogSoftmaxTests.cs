using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class LogSoftmaxTests
{
    public static TheoryData<int[], int> ShapesAndAxes => SoftmaxTests.ShapesAndAxes;

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape, int axis) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].LogSoftmax(axis), ts => F.log_softmax(ts[0], axis));

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape, int axis) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].LogSoftmax(axis), ts => F.log_softmax(ts[0], axis), tolerance: Tolerances.TorchFloatCancellation);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ExtremeLogits_FiniteAndEqualToTorch(int axis)
    {
        double[] values = { 1000, -1000, 0, 1000, 1000, -1000, -1000, -999, -1000, 500, -500, 1 };
        SoftmaxTests.CompareWithTorch(
            values, new[] { 4, 3 }, axis, x => x.LogSoftmax(axis), x => x.LogSoftmax(axis), t => F.log_softmax(t, axis), "log-softmax");
    }

    [Fact]
    public void FarBelowTheMaximum_StaysFinite_WhereLogOfSoftmaxIsMinusInfinity()
    {
        var x = Tensor.FromArray(new[] { 0.0, -2000.0 }, 2);
        x.LogSoftmax(0).ToArray()[1].Should().BeApproximately(-2000, 1e-9, "log-softmax never takes the log of an underflowed probability");
        x.Softmax(0).Log().ToArray()[1].Should().Be(double.NegativeInfinity, "the unfused chain underflows, which is why LogSoftmax exists");
    }

    [Fact]
    public void EqualsLogOfSoftmax_OnOrdinaryInputs()
    {
        Tensor<double> x = Tensor.Randn<double>(new Rng(5), 3, 4, 2);
        double[] fused = x.LogSoftmax(1).ToArray();
        double[] chained = x.Softmax(1).Log().ToArray();
        for (int i = 0; i < fused.Length; i++)
        {
            fused[i].Should().BeApproximately(chained[i], Tolerances.ClosedForm, $"element {i}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void Throws_OnInvalidAxis_NamingOpAndShape(int axis)
    {
        Action act = () => Tensor.Zeros(2, 3, 4).LogSoftmax(axis);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*LogSoftmax*axis {axis}*[2, 3, 4]*");
    }

    [Fact]
    public void Throws_OnScalarWithAxisOne()
    {
        Action act = () => Tensor.Scalar(1.0).LogSoftmax(1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LogSoftmax*axis 1*[]*");
    }

    [Fact]
    public void NaN_PropagatesToItsSlice()
    {
        var x = Tensor.FromArray(new[] { 1.0, 0.5, double.NaN, 3.0 }, 2, 2);
        double[] s = x.LogSoftmax(0).ToArray();
        // Row-major [2, 2]: column 0 is elements 0 and 2 (holding the NaN), column 1 is elements 1 and 3.
        double.IsNaN(s[0]).Should().BeTrue("column 0 holds the NaN");
        double.IsNaN(s[2]).Should().BeTrue("column 0 holds the NaN");
        double.IsFinite(s[1]).Should().BeTrue("column 1 holds no NaN");
        double.IsFinite(s[3]).Should().BeTrue("column 1 holds no NaN");
    }
}
