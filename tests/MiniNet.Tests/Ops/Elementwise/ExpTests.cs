using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class ExpTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Exp(), ts => torch.exp(ts[0]));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Exp(), ts => torch.exp(ts[0]));

    [Fact]
    public void LargeAndSmallInputs_MatchTorch_IncludingOverflowToInfinity()
    {
        double[] values = { -800, -50, 0, 50, 700, 800 };
        var x = Tensor.FromArray(values, values.Length);
        using var tx = torch.tensor(values, dtype: torch.float64);
        TorchOracle.AssertClose(x.Exp().ToArray(), TorchOracle.Values(torch.exp(tx)), Tolerances.TorchDouble, "exp at large |x|");
        x.Exp().ToArray()[^1].Should().Be(double.PositiveInfinity, "e^800 overflows double, as in PyTorch");
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { 1f, float.NaN }, 2);
        float.IsNaN(x.Exp().ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
    }
}
