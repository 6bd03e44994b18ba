using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class SqrtTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    // Positive and at least 0.1: the derivative 1/(2 sqrt x) is steep near 0, which finite differences resolve badly.
    private static double Positive(double v) => 0.1 + Math.Abs(v);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Sqrt(), ts => torch.sqrt(ts[0]), sample: Positive);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Sqrt(), ts => torch.sqrt(ts[0]), sample: Positive);

    [Fact]
    public void AtZero_GradientIsInfinite_AsTorch()
    {
        double[] values = { 0, 4, -1 };
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<double> y = x.Sqrt();
        y.Backward(Tensor.Ones<double>(values.Length));

        using var tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        using var ty = torch.sqrt(tx);
        ty.backward(new[] { torch.ones_like(ty) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "sqrt at 0, 4, -1");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "gradient at 0, 4, -1");
        x.Grad!.ToArray()[0].Should().Be(double.PositiveInfinity);
        y.ToArray()[1].Should().Be(2);
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { 1f, float.NaN }, 2);
        float.IsNaN(x.Sqrt().ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
    }
}
