using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class ReluTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Relu(), ts => F.relu(ts[0]));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Relu(), ts => F.relu(ts[0]));

    [Fact]
    public void GradientAtZeroAndBelow_IsZero_AsTorch()
    {
        double[] values = { -3, -0.0, 0, 1e-300, 2 };
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<double> y = x.Relu();
        y.Backward(Tensor.Full(7.0, values.Length));

        using var tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        using var ty = F.relu(tx);
        ty.backward(new[] { torch.full_like(ty, 7.0) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "relu around 0");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "relu gradient around 0");
        x.Grad!.ToArray().Should().Equal(0, 0, 0, 7, 7);
    }

    [Fact]
    public void NaN_Propagates()
    {
        var x = Tensor.FromArray(new[] { -1f, float.NaN, 2f }, 3);
        Tensor<float> y = x.Relu();
        float.IsNaN(y.ToArray()[1]).Should().BeTrue("relu(NaN) is NaN in PyTorch; max(NaN, 0) must not turn it into 0");
        y.ToArray()[0].Should().Be(0f);
    }
}
