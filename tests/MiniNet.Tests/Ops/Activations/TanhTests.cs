using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class TanhTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Tanh(), ts => torch.tanh(ts[0]));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Tanh(), ts => torch.tanh(ts[0]));

    [Fact]
    public void ExtremeAndTinyInputs_MatchTorch()
    {
        double[] values = { -1000, -20, -1e-8, 0, 1e-8, 20, 1000 };
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<double> y = x.Tanh();
        y.Backward(Tensor.Ones<double>(values.Length));

        using var tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        using var ty = torch.tanh(tx);
        ty.backward(new[] { torch.ones_like(ty) });
        y.ToArray().Should().OnlyContain(v => double.IsFinite(v));
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "tanh at extreme and tiny x");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "gradient at extreme and tiny x");
        x.Grad!.ToArray().Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { 0.5, double.NaN }, 2);
        double.IsNaN(x.Tanh().ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
    }
}
