using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class LogTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    // Positive and at least 0.1, so ln and its derivative 1/x stay well conditioned for finite differences.
    private static double Positive(double v) => 0.1 + Math.Abs(v);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Log(), ts => torch.log(ts[0]), sample: Positive);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Log(), ts => torch.log(ts[0]), sample: Positive);

    [Fact]
    public void ZeroAndNegative_GiveMinusInfinityAndNaN_AsTorch()
    {
        double[] values = { 0, -1, 1e-300, 1e300 };
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<double> y = x.Log();
        y.Backward(Tensor.Ones<double>(values.Length));

        using var tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        using var ty = torch.log(tx);
        ty.backward(new[] { torch.ones_like(ty) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "log at the domain edge");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "gradient at the domain edge");
        y.ToArray()[0].Should().Be(double.NegativeInfinity);
        double.IsNaN(y.ToArray()[1]).Should().BeTrue("ln of a negative number is NaN, not clamped");
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { 1.0, double.NaN }, 2);
        double.IsNaN(x.Log().ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
    }
}
