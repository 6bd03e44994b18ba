using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class NormTests
{
    public static TheoryData<double, int[]?, bool> Cases
    {
        get
        {
            var data = new TheoryData<double, int[]?, bool>();
            foreach (double p in new[] { 2, 1, double.PositiveInfinity, 3, 1.5 })
            {
                data.Add(p, null, false);
                data.Add(p, [1], false);
                data.Add(p, [0, 2], true);
                data.Add(p, [-1], true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch(double p, int[]? axes, bool keepDim)
    {
        OpCheck<double>.AgainstTorch([[2, 3, 4]], xs => xs[0].Norm(p, axes, keepDim), ts => TorchNorm(ts[0], p, axes, keepDim));
        OpCheck<float>.AgainstTorch([[2, 3, 4]], xs => xs[0].Norm(p, axes, keepDim), ts => TorchNorm(ts[0], p, axes, keepDim));
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(3.0)]
    public void SecondOrder_MatchesTorch(double p) =>
        SecondOrderCheck.AgainstTorch([[3, 4]], xs => xs[0].Norm(p, [1]).Mul(xs[0].Tanh().Sum(1)), ts => TorchNorm(ts[0], p, [1], false) * ts[0].tanh().sum(1));

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(3.0)]
    public void ZerosAndTies_Subgradients_LikeTorch(double p)
    {
        // Row 0 is a zero vector; row 1 has tied magnitudes of both signs and a zero.
        double[] values = { 0, 0, 0, 0, -2, 2, 0, 1 };
        var x = Tensor.FromArray(values, 2, 4);
        x.RequiresGrad = true;
        Tensor<double> y = x.Norm(p, [1]);
        y.Backward(Tensor.FromArray(new double[] { 1.5, -0.5 }, 2));

        using var scope = torch.NewDisposeScope();
        TT t = torch.tensor(values, new long[] { 2, 4 }, dtype: torch.float64, requires_grad: true);
        TT ty = TorchNorm(t, p, [1], false);
        ty.backward(new[] { torch.tensor(new double[] { 1.5, -0.5 }, dtype: torch.float64) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, $"{p}-norm");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(t.grad!), Tolerances.TorchDouble, $"{p}-norm gradient");
    }

    [Fact]
    public void Throws_OnUnsupportedOrder_AndEmptyInfNorm()
    {
        FluentActions.Invoking(() => Tensor.Zeros<float>(3).Norm(0.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Norm: order p = 0.5 is not supported*");
        FluentActions.Invoking(() => Tensor.Zeros<float>(0).Norm(double.PositiveInfinity)).Should().Throw<ArgumentException>().WithMessage("Norm: the inf-norm of an empty reduction*");
        Tensor.Zeros<double>(0, 3).Norm(2, [0]).ToArray().Should().Equal(0, 0, 0);
    }

    private static TT TorchNorm(TT t, double p, int[]? axes, bool keepDim) =>
        torch.linalg.vector_norm(t, p, axes?.Length > 0 ? axes.Select(a => (long)a).ToArray() : null, keepDim);
}
