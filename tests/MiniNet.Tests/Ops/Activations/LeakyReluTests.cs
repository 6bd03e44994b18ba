using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class LeakyReluTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.LeakyRelu();

    protected override TT Oracle(TT x) => torch.nn.functional.leaky_relu(x);

    // Away from the kink at 0, where finite differences are undefined.
    protected override Func<double, double>? Sample => z => z + (0.1 * Math.Sign(z));

    [Theory]
    [InlineData(0.2)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void NegativeSlope_MatchesTorch(double slope)
    {
        OpCheck<double>.AgainstTorch([[4, 5]], xs => xs[0].LeakyRelu(slope), ts => torch.nn.functional.leaky_relu(ts[0], slope), sample: Sample);
        OpCheck<float>.AgainstTorch([[4, 5]], xs => xs[0].LeakyRelu(slope), ts => torch.nn.functional.leaky_relu(ts[0], slope), sample: Sample);
        SecondOrderCheck.AgainstTorch([[3, 2]], xs => xs[0].LeakyRelu(slope), ts => torch.nn.functional.leaky_relu(ts[0], slope), sample: Sample);
    }

    [Fact]
    public void GradientAtZero_IsTheSlope_AsTorch()
    {
        var x = Tensor.FromArray([-0.0, 0, 2], 3);
        x.RequiresGrad = true;
        x.LeakyRelu(0.25).Backward(Tensor.Ones<double>(3));
        x.Grad!.ToArray().Should().Equal(0.25, 0.25, 1);
    }

    [Fact]
    public void Throws_OnNonFiniteSlope_NamingOp()
    {
        Action act = () => Tensor.Zeros<float>(3).LeakyRelu(double.NaN);
        act.Should().Throw<ArgumentException>().WithMessage("*LeakyRelu*negativeSlope*NaN*[3]*");
    }
}
