using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class MaxTests
{
    public static TheoryData<int[], int, bool> AxisCases => ReductionCases.ShapeAxisKeepDim;

    private static TT TorchMax(TT x, int axis, bool keepDim) => x.max(axis, keepDim).values;

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Double(int[] shape, int axis, bool keepDim) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Max(axis, keepDim), ts => TorchMax(ts[0], axis, keepDim));

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch_Float(int[] shape, int axis, bool keepDim) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Max(axis, keepDim), ts => TorchMax(ts[0], axis, keepDim));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Ties_GradientGoesToFirstMaximum_LikeTorchMaxValues(int axis)
    {
        // Every row and column has tied maxima, some at the start, some not.
        double[] values = { 1, 3, 3, 2, 2, 1, 3, 0, 3, 2, -1, -1 };
        var x = Tensor.FromArray(values, 4, 3);
        x.RequiresGrad = true;
        Tensor<double> y = x.Max(axis);
        var upstream = Tensor.Randn<double>(new Rng(3), y.Shape.ToArray());
        y.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        TT tx = torch.tensor(values, new long[] { 4, 3 }, dtype: torch.float64, requires_grad: true);
        TT ty = tx.max(axis).values;
        ty.backward(new[] { TorchOracle.ToTorch(upstream) });

        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "max values with ties");
        x.Grad!.ToArray().Should().Equal(TorchOracle.Values(tx.grad!), "torch.max(dim).values routes the gradient to the index it returns");

        // And that index is the first maximal one: the gradient of each output lands exactly once, at its lowest tied index.
        int n = axis == 0 ? 4 : 3, other = axis == 0 ? 3 : 4;
        for (int k = 0; k < other; k++)
        {
            int first = -1;
            for (int j = 0; j < n; j++)
            {
                int flat = axis == 0 ? (j * 3) + k : (k * 3) + j;
                double expected = 0;
                if (first < 0 && values[flat] == y.ToArray()[k])
                {
                    first = j;
                    expected = upstream.ToArray()[k];
                }

                x.Grad![axis == 0 ? j : k, axis == 0 ? k : j].Should().Be(expected, $"output {k}, position {j} along axis {axis}");
            }
        }
    }

    [Fact]
    public void Ties_DifferFromAmax_WhichSplitsTheGradient()
    {
        double[] values = { 2, 2 };
        var x = Tensor.FromArray(values, 2);
        x.RequiresGrad = true;
        x.Max(0).Backward();
        x.Grad!.ToArray().Should().Equal(1, 0);

        using var scope = torch.NewDisposeScope();
        TT tx = torch.tensor(values, dtype: torch.float64, requires_grad: true);
        tx.amax(new long[] { 0 }).backward();
        TorchOracle.Values(tx.grad!).Should().Equal(new[] { 0.5, 0.5 }, "amax splits ties; Max follows torch.max(dim) instead");
    }

    [Fact]
    public void NaN_Propagates_AndGetsTheGradient_LikeTorch()
    {
        double[] values = { 1, double.NaN, 5, double.NaN, 0, 7 };
        var x = Tensor.FromArray(values, 2, 3);
        x.RequiresGrad = true;
        Tensor<double> y = x.Max(1);
        y.Backward(Tensor.Ones<double>(2));

        using var scope = torch.NewDisposeScope();
        TT tx = torch.tensor(values, new long[] { 2, 3 }, dtype: torch.float64, requires_grad: true);
        TT ty = tx.max(1).values;
        ty.backward(new[] { torch.ones_like(ty) });
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "max with NaN");
        x.Grad!.ToArray().Should().Equal(TorchOracle.Values(tx.grad!));
    }

    [Fact]
    public void SignedZeros_Tie_LikeTorch()
    {
        double[] values = { -0.0, 0.0, 0.0, -0.0 };
        var x = Tensor.FromArray(values, 2, 2);
        x.RequiresGrad = true;
        x.Max(1).Backward(Tensor.Ones<double>(2));

        using var scope = torch.NewDisposeScope();
        TT tx = torch.tensor(values, new long[] { 2, 2 }, dtype: torch.float64, requires_grad: true);
        TT ty = tx.max(1).values;
        ty.backward(new[] { torch.ones_like(ty) });
        x.Grad!.ToArray().Should().Equal(TorchOracle.Values(tx.grad!));
        x.Grad!.ToArray().Should().Equal(1, 0, 1, 0);
    }

    [Fact]
    public void EmptyOtherAxis_GivesEmptyResult()
    {
        OpCheck<double>.AgainstTorch(new[] { new[] { 0, 3 } }, xs => xs[0].Max(1), ts => TorchMax(ts[0], 1, false));
        Tensor.Zeros<double>(0, 3).Max(-1, keepDim: true).Shape.ToArray().Should().Equal(0, 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Throws_OnEmptyAxis_WithClearMessage(int axis)
    {
        var x = Tensor.Zeros<double>(0, 3);
        Action act = () => x.Max(axis);
        act.Should().Throw<ArgumentException>().WithMessage("*Max*[0, 3]*size 0*");
    }

    [Fact]
    public void Throws_OnAxisOutOfRange_NamingShape()
    {
        Action act = () => Tensor.Zeros<float>(2, 2, 2).Max(3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Max*[2, 2, 2]*");
    }
}
