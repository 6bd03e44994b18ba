using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class SoftplusTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Softplus();

    protected override TT Oracle(TT x) => torch.nn.functional.softplus(x);

    // Both sides of the default threshold 20, and deep in the e^x underflow.
    protected override double[] SpecialValues => [.. base.SpecialValues, 19.999, 20, 20.001, -100, -800];

    [Theory]
    [InlineData(2.0, 20.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(3.0, 0.5)]
    public void BetaAndThreshold_MatchTorch(double beta, double threshold)
    {
        OpCheck<double>.AgainstTorch([[5, 4]], xs => xs[0].Softplus(beta, threshold), ts => torch.nn.functional.softplus(ts[0], beta, threshold), sample: v => 2 * v);
        OpCheck<float>.AgainstTorch([[5, 4]], xs => xs[0].Softplus(beta, threshold), ts => torch.nn.functional.softplus(ts[0], beta, threshold), sample: v => 2 * v);
        SecondOrderCheck.AgainstTorch([[3, 2]], xs => xs[0].Softplus(beta, threshold), ts => torch.nn.functional.softplus(ts[0], beta, threshold), sample: v => 2 * v);
    }

    [Fact]
    public void AboveTheThreshold_IsTheInputItself_WithGradientOne()
    {
        var x = Tensor.FromArray([25.0, 1e10], 2);
        x.RequiresGrad = true;
        Tensor<double> y = x.Softplus();
        y.ToArray().Should().Equal(25.0, 1e10);
        y.Backward(Tensor.Ones<double>(2));
        x.Grad!.ToArray().Should().Equal(1, 1);
    }

    [Theory]
    [InlineData(0.0, 20.0)]
    [InlineData(-1.0, 20.0)]
    [InlineData(double.NaN, 20.0)]
    [InlineData(1.0, double.NaN)]
    public void Throws_OnBadOptions_NamingOpAndValues(double beta, double threshold)
    {
        Action act = () => Tensor.Zeros<double>(2, 3).Softplus(beta, threshold);
        act.Should().Throw<ArgumentException>().WithMessage($"*Softplus*beta*{beta}*threshold*{threshold}*[2, 3]*");
    }
}
