using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class SqrtTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Sqrt();

    protected override TT Oracle(TT x) => torch.sqrt(x);

    // Positive and at least 0.1: the derivative 1/(2 sqrt x) is steep near 0, which finite differences resolve badly.
    protected override Func<double, double>? Sample => v => 0.1 + Math.Abs(v);

    [Fact]
    public void AtZero_GradientIsInfinite()
    {
        var x = Tensor.FromArray([0.0, 4], 2);
        x.RequiresGrad = true;
        Tensor<double> y = x.Sqrt();
        y.Backward(Tensor.Ones<double>(2));
        x.Grad!.ToArray()[0].Should().Be(double.PositiveInfinity);
        y.ToArray()[1].Should().Be(2);
    }
}
