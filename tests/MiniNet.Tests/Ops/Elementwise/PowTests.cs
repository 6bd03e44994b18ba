using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class PowTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    // Integer exponents are defined for any base; non-integer ones only for a positive base (kept >= 0.1 so
    // x^(p-1) with p < 1 stays well conditioned for finite differences).
    private static readonly double[] IntegerExponents = { 2, 3, 1, 0 };
    private static readonly double[] RealExponents = { 0.5, -1.5, 2.5, 1.0 / 3 };

    private static double Positive(double v) => 0.1 + Math.Abs(v);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape)
    {
        foreach (double p in IntegerExponents)
        {
            OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Pow(p), ts => torch.pow(ts[0], p));
        }

        foreach (double p in RealExponents)
        {
            OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Pow(p), ts => torch.pow(ts[0], p), sample: Positive);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape)
    {
        foreach (double p in IntegerExponents)
        {
            OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Pow((float)p), ts => torch.pow(ts[0], p));
        }

        foreach (double p in RealExponents)
        {
            OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Pow((float)p), ts => torch.pow(ts[0], (float)p), sample: Positive);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void AtZeroBase_ValueAndGradient_MatchTorch(double p)
    {
        double[] values = { 0, 1, 2 };
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<double> y = x.Pow(p);
        y.Backward(Tensor.Ones<double>(values.Length));

        using var tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        using var ty = torch.pow(tx, p);
        ty.backward(new[] { torch.ones_like(ty) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, $"0^{p}");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, $"gradient of x^{p} at 0");
    }

    [Fact]
    public void NegativeBaseWithFractionalExponent_IsNaN_NotHidden()
    {
        var x = Tensor.FromArray(new[] { -4.0, 4.0 }, 2);
        Tensor<double> y = x.Pow(0.5);
        double.IsNaN(y.ToArray()[0]).Should().BeTrue("(-4)^0.5 is not real");
        y.ToArray()[1].Should().Be(2);
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { 2f, float.NaN }, 2);
        float.IsNaN(x.Pow(3f).ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
    }
}
