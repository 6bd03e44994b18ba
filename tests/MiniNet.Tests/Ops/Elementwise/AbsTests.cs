using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class AbsTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Abs();

    protected override TT Oracle(TT x) => torch.abs(x);

    // Away from the kink at 0, where finite differences of |x| and its (zero) second derivative are undefined.
    protected override Func<double, double>? Sample => z => z + (0.1 * Math.Sign(z));

    [Fact]
    public void GradientAtZero_IsZero_AndNaNGivesNaN()
    {
        var x = Tensor.FromArray([-2, -0.0, 0, 3, double.NaN], 5);
        x.RequiresGrad = true;
        x.Abs().Backward(Tensor.Full(5.0, 5));
        double[] grad = x.Grad!.ToArray();
        grad.Should().Equal([-5, 0, 0, 5, 0], "sgn(NaN) is 0 in PyTorch; the NaN is in the output already");
    }
}
