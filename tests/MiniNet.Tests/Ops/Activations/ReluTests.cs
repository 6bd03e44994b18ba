using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ReluTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Relu();

    protected override TT Oracle(TT x) => torch.nn.functional.relu(x);

    // Away from the kink at 0, where finite differences are undefined.
    protected override Func<double, double>? Sample => z => z + (0.1 * Math.Sign(z));

    [Fact]
    public void GradientAtZeroAndBelow_IsZero()
    {
        var x = Tensor.FromArray([-3, -0.0, 0, 1e-300, 2], 5);
        x.RequiresGrad = true;
        x.Relu().Backward(Tensor.Full(7.0, 5));
        x.Grad!.ToArray().Should().Equal(0, 0, 0, 7, 7);
    }

    [Fact]
    public void NaN_StaysNaN_InFloat()
    {
        Tensor<float> y = Tensor.FromArray([-1f, float.NaN, 2f], 3).Relu();
        float.IsNaN(y.ToArray()[1]).Should().BeTrue("relu(NaN) is NaN in PyTorch; max(NaN, 0) must not turn it into 0");
        y.ToArray()[0].Should().Be(0f);
    }
}
