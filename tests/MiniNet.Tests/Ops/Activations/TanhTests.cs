using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class TanhTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Tanh();

    protected override TT Oracle(TT x) => torch.tanh(x);

    // Also both sides of the float kernel's two switches: the polynomial below |x| = 0.55 and x itself below 1e-4.
    protected override double[] SpecialValues => [.. base.SpecialValues, -1000, 1000, 9, -9, 19, 1e-8, 0.5499, -0.5501, 9.9e-5, -1.01e-4, 0.3];

    [Fact]
    public void Saturates_WithFiniteGradient()
    {
        var x = Tensor.FromArray([-1000.0, 1000], 2);
        x.RequiresGrad = true;
        Tensor<double> y = x.Tanh();
        y.Backward(Tensor.Ones<double>(2));
        y.ToArray().Should().Equal(-1, 1);
        x.Grad!.ToArray().Should().Equal(0, 0);
    }
}
