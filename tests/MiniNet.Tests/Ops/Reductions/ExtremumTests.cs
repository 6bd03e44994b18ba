using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>Whole-tensor Max() and Min(), whose gradient is split evenly between ties (unlike the dim reductions).</summary>
public class ExtremumTests
{
    public static TheoryData<int[]> Shapes => new(Array.Empty<int>(), [1], [7], [4, 3], [2, 3, 4]);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTorch(int[] shape)
    {
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Max(), ts => ts[0].max());
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Min(), ts => ts[0].min());
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Max(), ts => ts[0].max());
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Min(), ts => ts[0].min());
    }

    [Fact]
    public void SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch([[3, 4]], xs => xs[0].Tanh().Max().Mul(xs[0].Min()), ts => ts[0].tanh().max() * ts[0].min());

    [Theory]
    [InlineData(new double[] { 3, 1, 3, 3, 2 })]
    [InlineData(new double[] { 1, double.NaN, 5, double.NaN })]
    [InlineData(new double[] { -0.0, 0.0, -1 })]
    [InlineData(new double[] { 2, 2, 2, 2 })]
    public void Ties_SplitTheGradientEvenly_LikeTorch(double[] values)
    {
        foreach (bool max in new[] { true, false })
        {
            var x = Tensor.FromArray(values, values.Length);
            x.RequiresGrad = true;
            Tensor<double> y = max ? x.Max() : x.Min();
            y.Mul(3.0).Backward();

            using var scope = torch.NewDisposeScope();
            TT tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
            TT ty = max ? tx.max() : tx.min();
            (ty * 3.0).backward();
            TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, max ? "max" : "min");
            TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, max ? "max gradient" : "min gradient");
        }
    }

    [Fact]
    public void Throws_OnEmpty()
    {
        FluentActions.Invoking(() => Tensor.Zeros<float>(0, 3).Max()).Should().Throw<ArgumentException>().WithMessage("Max: the input (shape [0, 3]) is empty*");
        FluentActions.Invoking(() => Tensor.Zeros<float>(0).Min()).Should().Throw<ArgumentException>().WithMessage("Min: the input (shape [0]) is empty*");
    }
}
