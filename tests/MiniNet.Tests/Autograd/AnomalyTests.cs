using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Autograd;

public class AnomalyTests
{
    [Fact]
    public void Forward_NonFinite_ThrowsNamingOpShapesAndCallSite()
    {
        var a = Tensor.FromArray(new[] { 1.0, 0.0 }, 2);
        a.RequiresGrad = true;
        var b = Tensor.FromArray(new[] { 0.0, 0.0 }, 1, 2);
        using (MiniNet.Autograd.DetectAnomaly())
        {
            Action act = () => a.Div(b);
            var error = act.Should().Throw<AnomalyDetectedException>().Which;
            error.OpName.Should().Be("Div");
            error.Phase.Should().Be("forward output");
            error.InputShapes.Should().Be("[2], [1, 2]");
            error.RecordedAt.Should().Contain(nameof(AnomalyTests)).And.Contain("AnomalyTests.cs");
        }

        Tape.Current.Clear();
    }

    [Fact]
    public void Backward_NonFiniteGradient_ThrowsNamingTheOp()
    {
        // Forward values are finite (1e-300 * 1e300 = 1, then 1e300), but d/da = 1e300 * 1e300 overflows.
        var a = Tensor.FromArray(new[] { 1e-300 }, 1);
        a.RequiresGrad = true;
        var b = Tensor.FromArray(new[] { 1e300 }, 1);
        using (MiniNet.Autograd.DetectAnomaly())
        {
            Tensor<double> loss = a.Mul(b).Mul(1e300);
            Action act = () => loss.Backward();
            var error = act.Should().Throw<AnomalyDetectedException>().Which;
            error.OpName.Should().Be("Mul");
            error.Phase.Should().Be("gradient of input 0");
        }
    }

    [Fact]
    public void Off_NonFiniteValuesPropagateWithoutThrowing()
    {
        MiniNet.Autograd.IsAnomalyDetectionEnabled.Should().BeFalse("anomaly detection is off by default");
        var a = Tensor.FromArray(new[] { 1.0 }, 1);
        a.RequiresGrad = true;
        Tensor<double> q = a.Div(Tensor.Zeros<double>(1));
        double.IsPositiveInfinity(q.Item()).Should().BeTrue();
        Tape.Current.Clear();
    }

    [Fact]
    public void Forward_LogOfNegative_ThrowsNamingLog()
    {
        var x = Tensor.FromArray(new[] { 1.0, -2.0, 3.0 }, 3);
        x.RequiresGrad = true;
        using (MiniNet.Autograd.DetectAnomaly())
        {
            Action act = () => x.Log();
            var error = act.Should().Throw<AnomalyDetectedException>().Which;
            error.OpName.Should().Be("Log");
            error.Phase.Should().Be("forward output");
            error.InputShapes.Should().Be("[3]");
            error.Message.Should().Contain("element 1");
        }

        Tape.Current.Clear();
    }

    [Fact]
    public void Backward_SqrtOfZero_HasInfiniteGradient_ThrowsNamingSqrt()
    {
        // sqrt(0) = 0 is finite, but d sqrt(x)/dx = 1 / (2 sqrt(x)) = inf at 0: only the backward check can catch it.
        var x = Tensor.FromArray(new[] { 4.0, 0.0 }, 2);
        x.RequiresGrad = true;
        using (MiniNet.Autograd.DetectAnomaly())
        {
            Tensor<double> loss = x.Sqrt().Sum();
            Action act = () => loss.Backward();
            var error = act.Should().Throw<AnomalyDetectedException>().Which;
            error.OpName.Should().Be("Sqrt");
            error.Phase.Should().Be("gradient of input 0");
            error.RecordedAt.Should().Contain(nameof(Backward_SqrtOfZero_HasInfiniteGradient_ThrowsNamingSqrt));
        }

        Tape.Current.Clear();
    }

    [Fact]
    public void Off_SqrtOfZeroBackward_GivesInfinityWithoutThrowing()
    {
        var x = Tensor.FromArray(new[] { 0.0 }, 1);
        x.RequiresGrad = true;
        x.Sqrt().Sum().Backward();
        double.IsPositiveInfinity(x.Grad!.Item()).Should().BeTrue();
    }
}
