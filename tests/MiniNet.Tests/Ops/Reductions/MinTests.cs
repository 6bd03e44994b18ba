using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class MinTests
{
    public static TheoryData<int[], int, bool> AxisCases => ReductionCases.ShapeAxisKeepDim;

    private static TT TorchMin(TT x, int axis, bool keepDim) => x.min(axis, keepDim).values;

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Double(int[] shape, int axis, bool keepDim) =>
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Min(axis, keepDim), ts => TorchMin(ts[0], axis, keepDim));

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Float(int[] shape, int axis, bool keepDim) =>
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Min(axis, keepDim), ts => TorchMin(ts[0], axis, keepDim));

    [Fact]
    public void SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch([[3, 4]], xs => xs[0].Tanh().Min(1).Mul(xs[0].Min(0).Sum()), ts => TorchMin(ts[0].tanh(), 1, false) * TorchMin(ts[0], 0, false).sum());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void TiesAndNaN_GradientGoesWhereTorchSendsIt(int axis)
    {
        double[] values = { 1, -3, -3, 2, 2, 1, double.NaN, 0, double.NaN, -0.0, 0.0, 5 };
        var x = Tensor.FromArray(values, 4, 3);
        x.RequiresGrad = true;
        Tensor<double> y = x.Min(axis);
        var upstream = Tensor.Randn<double>(new Rng(3), y.Shape.ToArray());
        y.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        TT tx = torch.tensor(values, new long[] { 4, 3 }, dtype: torch.float64, requires_grad: true);
        TT ty = tx.min(axis).values;
        ty.backward(new[] { TorchOracle.ToTorch(upstream) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "min values with ties and NaN");
        x.Grad!.ToArray().Should().Equal(TorchOracle.Values(tx.grad!), "torch.min(dim) routes the gradient to the index it returns");
    }

    [Fact]
    public void Throws_OnEmptyAxis_AndBadAxis()
    {
        FluentActions.Invoking(() => Tensor.Zeros<double>(0, 3).Min(0)).Should().Throw<ArgumentException>().WithMessage("Min: axis 0 of shape [0, 3] has size 0, so there is no minimum*");
        FluentActions.Invoking(() => Tensor.Zeros<float>(2, 2).Min(2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Min*[2, 2]*");
    }
}
