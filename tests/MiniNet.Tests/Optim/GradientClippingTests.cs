using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Optim;

public class GradientClippingTests
{
    [Theory]
    [InlineData(0.5, 2.0, 1.0)]
    [InlineData(100.0, 2.0, 1.0)]
    [InlineData(0.5, 1.0, 1.0)]
    [InlineData(0.5, 3.0, 1.0)]
    [InlineData(0.5, double.PositiveInfinity, 1.0)]
    [InlineData(1.0, 2.0, 1e-20)]
    [InlineData(1.0, 2.0, 1e100)]
    public void ClipGradNorm_MatchesTorch(double maxNorm, double normType, double scale)
    {
        var rng = new Rng(5);
        int[][] shapes = { new[] { 3, 4 }, new[] { 5 }, Array.Empty<int>() };
        Tensor<double>[] ps = shapes.Select(s => Tensor.Zeros<double>(s)).ToArray();
        Tensor<double>[] grads = shapes.Select(s => Tensor.Randn<double>(rng, s) * scale).ToArray();
        using var _ = torch.NewDisposeScope();
        var tps = ps.Select(p => new TorchSharp.Modules.Parameter(TorchOracle.ToTorch(p))).ToArray();
        for (int i = 0; i < ps.Length; i++)
        {
            ps[i].Grad = grads[i].Detach();
            tps[i].grad = TorchOracle.ToTorch(grads[i]);
        }

        double norm = GradientClipping.ClipGradNorm(ps, maxNorm, normType);
        double torchNorm = torch.nn.utils.clip_grad_norm_(tps, maxNorm, normType);
        TorchOracle.AssertClose(new[] { norm }, new[] { torchNorm }, Tolerances.TorchDouble, "total norm");
        for (int i = 0; i < ps.Length; i++)
        {
            TorchOracle.AssertClose(ps[i].Grad!.ToArray(), TorchOracle.Values(tps[i].grad!), Tolerances.TorchDouble, $"clipped gradient {i}");
        }
    }

    [Fact]
    public void ClipGradNorm_Float_MatchesTorch()
    {
        var rng = new Rng(6);
        var p = Tensor.Zeros<float>(50);
        Tensor<float> grad = Tensor.Randn<float>(rng, 50);
        p.Grad = grad.Detach();
        using var _ = torch.NewDisposeScope();
        var tp = new TorchSharp.Modules.Parameter(TorchOracle.ToTorch(p));
        tp.grad = TorchOracle.ToTorch(grad);
        double norm = GradientClipping.ClipGradNorm(new[] { p }, 1.0);
        double torchNorm = torch.nn.utils.clip_grad_norm_(new[] { tp }, 1.0);
        TorchOracle.AssertClose(new[] { norm }, new[] { torchNorm }, Tolerances.TorchFloat, "total norm");
        TorchOracle.AssertClose(p.Grad!.ToArray().Select(v => (double)v).ToArray(), TorchOracle.Values(tp.grad!), Tolerances.TorchFloat, "clipped gradient");
    }

    [Fact]
    public void ClipGradNorm_SkipsParametersWithoutGradient_AndLeavesSmallGradients()
    {
        var a = Tensor.Zeros<double>(2);
        var b = Tensor.Zeros<double>(2);
        a.Grad = Tensor.FromArray(new[] { 3.0, 4.0 }, 2);
        GradientClipping.ClipGradNorm(new[] { a, b }, 10).Should().Be(5);
        a.Grad!.ToArray().Should().Equal(3.0, 4.0);
        b.Grad.Should().BeNull();
        GradientClipping.ClipGradNorm(new[] { a }, 1).Should().Be(5);
        a.Grad!.ToArray()[0].Should().BeApproximately(3 / (5 + 1e-6), 1e-15);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ClipGradNorm_NonfiniteNorm_ThrowsWhenAsked_ElseBehavesLikePyTorch(double bad)
    {
        var a = Tensor.Zeros<double>(2);
        var b = Tensor.Zeros<double>(2);
        a.Grad = Tensor.FromArray(new[] { 1.0, 2.0 }, 2);
        b.Grad = Tensor.FromArray(new[] { bad, 1.0 }, 2);
        Action strict = () => GradientClipping.ClipGradNorm(new[] { a, b }, 1, errorIfNonfinite: true);
        strict.Should().Throw<ArithmeticException>().WithMessage("*parameter 1*errorIfNonfinite*");
        a.Grad!.ToArray().Should().Equal(1.0, 2.0);

        double norm = GradientClipping.ClipGradNorm(new[] { a, b }, 1);
        using var _ = torch.NewDisposeScope();
        var ta = new TorchSharp.Modules.Parameter(torch.zeros(2, dtype: torch.float64)) { grad = torch.tensor(new[] { 1.0, 2.0 }) };
        var tb = new TorchSharp.Modules.Parameter(torch.zeros(2, dtype: torch.float64)) { grad = torch.tensor(new[] { bad, 1.0 }) };
        double torchNorm = torch.nn.utils.clip_grad_norm_(new[] { ta, tb }, 1);
        norm.Should().Be(torchNorm);
        a.Grad!.ToArray().Should().Equal(TorchOracle.Values(ta.grad!));
        b.Grad!.ToArray().Should().Equal(TorchOracle.Values(tb.grad!));
    }

    [Fact]
    public void ClipGradNorm_Throws_OnBadArguments()
    {
        var p = new[] { Tensor.Zeros<double>(1) };
        ((Action)(() => GradientClipping.ClipGradNorm(p, -1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*maxNorm*");
        ((Action)(() => GradientClipping.ClipGradNorm(p, 1, normType: 0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*normType*");
    }
}
