using System;
using System.Linq;
using MiniNet.Tests.Infrastructure;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class GeluTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Gelu();

    protected override TT Oracle(TT x) => torch.nn.functional.gelu(x);

    // Both erf methods (|x| / sqrt 2 below and above 1.5) and the far left tail. +infinity is tested on its own:
    // libtorch's float32 kernel gives NaN there (its vectorised erf), its float64 one +infinity, as MiniNet does in both.
    protected override double[] SpecialValues =>
        [.. base.SpecialValues.Where(v => v != double.PositiveInfinity), -2.1, -2.2, 2.2, -8, 8, -40];

    [Fact]
    public void AtPlusInfinity_IsPlusInfinity_InBothTypes()
    {
        Tensor.FromArray([double.PositiveInfinity], 1).Gelu().Item().Should().Be(double.PositiveInfinity);
        Tensor.FromArray([float.PositiveInfinity], 1).Gelu().Item().Should().Be(float.PositiveInfinity);
        using var t = torch.nn.functional.gelu(torch.tensor(new[] { double.PositiveInfinity }, dtype: torch.float64));
        t.item<double>().Should().Be(double.PositiveInfinity, "libtorch agrees in float64");
    }

    // libtorch's float32 GELU forms 1 + erf(x / sqrt 2) in float, which cancels in the left tail (Phi(-3.5) = 2.3e-4 is
    // left with ~1e-4 relative error: measured 1.65e-5 in the gradient at -3.5). MiniNet's float GELU is computed in
    // double and rounded once, so it is compared with libtorch's float64 result instead, at the float tolerance.
    [Fact]
    public void Float_LeftTail_MatchesTorchFloat64()
    {
        float[] values = [-2.5f, -3f, -3.5f, -4f, -5f, -6f];
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<float> y = x.Gelu();
        y.Backward(Tensor.Ones<float>(values.Length));
        using var scope = torch.NewDisposeScope();
        var tx = torch.tensor(values.Select(v => (double)v).ToArray(), dtype: torch.float64, requires_grad: true);
        var ty = torch.nn.functional.gelu(tx);
        ty.backward([torch.ones_like(ty)]);
        TorchOracle.AssertClose(y.ToArray().Select(v => (double)v).ToArray(), TorchOracle.Values(ty), Tolerances.TorchFloat, "float gelu in the left tail");
        TorchOracle.AssertClose(x.Grad!.ToArray().Select(v => (double)v).ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchFloat, "its gradient");
    }

    [Fact]
    public void LeftTail_KeepsItsRelativeAccuracy()
    {
        // Phi(-10) = 7.6198530241605e-24 (erfc(10 / sqrt 2) / 2), so gelu(-10) = -7.6198530241605e-23; 1 + erf would give 0.
        double y = Tensor.FromArray([-10.0], 1).Gelu().Item();
        y.Should().BeApproximately(-7.6198530241605e-23, 1e-35);
    }
}

public class GeluTanhTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Gelu(GeluApproximation.Tanh);

    protected override TT Oracle(TT x) => torch.nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh);

    [Fact]
    public void Throws_OnUndefinedApproximation_NamingOp()
    {
        Action act = () => Tensor.Zeros<double>(2).Gelu((GeluApproximation)7);
        act.Should().Throw<ArgumentException>().WithMessage("*Gelu*approximate*7*");
    }

    [Fact]
    public void TanhForm_StaysWithinItsKnownDistanceOfTheExactOne()
    {
        var x = Tensor.FromArray([-3.0, -1, -0.5, 0.5, 1, 3], 6);
        double[] exact = x.Gelu().ToArray(), approximate = x.Gelu(GeluApproximation.Tanh).ToArray();
        for (int i = 0; i < exact.Length; i++)
        {
            Math.Abs(exact[i] - approximate[i]).Should().BeLessThan(1e-3, "the tanh form is within ~5e-4 of exact GELU");
        }
    }
}
