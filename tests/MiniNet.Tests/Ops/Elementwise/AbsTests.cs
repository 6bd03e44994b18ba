using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class AbsTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Abs(), ts => torch.abs(ts[0]));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Abs(), ts => torch.abs(ts[0]));

    [Fact]
    public void GradientAtZero_IsZero_AsTorch()
    {
        double[] values = { -2, -0.0, 0, 3 };
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        x.Abs().Backward(Tensor.Full(5.0, values.Length));

        using var tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        using var ty = torch.abs(tx);
        ty.backward(new[] { torch.full_like(ty, 5.0) });
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "gradient of |x| around 0");
        x.Grad!.ToArray().Should().Equal(-5, 0, 0, 5);
    }

    [Fact]
    public void NaN_PropagatesToOutputAndGradient()
    {
        var x = Tensor.FromArray(new[] { -1.0, double.NaN }, 2);
        x.RequiresGrad = true;
        Tensor<double> y = x.Abs();
        y.Backward(Tensor.Ones<double>(2));
        double.IsNaN(y.ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
        double.IsNaN(x.Grad!.ToArray()[1]).Should().BeTrue("sign(NaN) is NaN, so the gradient does not pretend the input was fine");
    }
}
