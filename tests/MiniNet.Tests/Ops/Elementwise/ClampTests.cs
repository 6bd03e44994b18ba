using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ClampTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Clamp(T.CreateTruncating(-0.5), T.CreateTruncating(0.7));

    protected override TT Oracle(TT x) => torch.clamp(x, -0.5, 0.7);

    // Exactly on both bounds too: the gradient passes there (inclusive, as PyTorch).
    protected override double[] SpecialValues => [.. base.SpecialValues, -0.5, 0.7, -0.5000001, 0.7000001];

    [Fact]
    public void OneSidedAndSwappedBounds_MatchTorch()
    {
        OpCheck<double>.AgainstTorch([[4, 5]], xs => xs[0].ClampMin(0.25), ts => torch.clamp_min(ts[0], 0.25));
        OpCheck<double>.AgainstTorch([[4, 5]], xs => xs[0].ClampMax(-0.25), ts => torch.clamp_max(ts[0], -0.25));
        OpCheck<float>.AgainstTorch([[4, 5]], xs => xs[0].Clamp(null, 0.3f), ts => torch.clamp(ts[0], max: 0.3));
        OpCheck<double>.AgainstTorch([[4, 5]], xs => xs[0].Clamp(1.0, -1.0), ts => torch.clamp(ts[0], 1.0, -1.0));
    }

    [Fact]
    public void AtTheBounds_GradientPasses()
    {
        var x = Tensor.FromArray([-2.0, -1, 0, 1, 2], 5);
        x.RequiresGrad = true;
        x.Clamp(-1.0, 1.0).Backward(Tensor.Ones<double>(5));
        x.Grad!.ToArray().Should().Equal(0, 1, 1, 1, 0);
    }

    [Fact]
    public void Throws_WithoutBounds_NamingOp()
    {
        Action act = () => Tensor.Zeros<double>(2, 2).Clamp(null, null);
        act.Should().Throw<ArgumentException>().WithMessage("*Clamp*min*max*[2, 2]*");
    }
}
