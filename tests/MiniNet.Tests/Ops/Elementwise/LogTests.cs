using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class LogTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Log();

    protected override TT Oracle(TT x) => torch.log(x);

    // Positive and at least 0.1, so ln and its derivative 1/x stay well conditioned for finite differences.
    protected override Func<double, double>? Sample => v => 0.1 + Math.Abs(v);

    [Fact]
    public void ZeroAndNegative_GiveMinusInfinityAndNaN()
    {
        double[] y = Tensor.FromArray([0.0, -1], 2).Log().ToArray();
        y[0].Should().Be(double.NegativeInfinity);
        double.IsNaN(y[1]).Should().BeTrue("ln of a negative number is NaN, not clamped");
    }
}
