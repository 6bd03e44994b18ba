using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ArgMaxTests
{
    public static TheoryData<int[], int, bool> AxisCases => ReductionCases.ShapeAxisKeepDim;

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Axis_MatchesTorch(int[] shape, int axis, bool keepDim)
    {
        Tensor<double> x = Tensor.Randn<double>(new Rng(5), shape);
        using var scope = torch.NewDisposeScope();
        TT tx = TorchOracle.ToTorch(x);
        Check(x.ArgMax(axis, keepDim), tx.argmax(axis, keepDim));
        Check(x.ArgMin(axis, keepDim), tx.argmin(axis, keepDim));
        Tensor<float> xf = Tensor.FromArray<float>(Array.ConvertAll(x.ToArray(), v => (float)v), new Shape(shape));
        Check(xf.ArgMax(axis, keepDim), tx.argmax(axis, keepDim));
        Check(xf.ArgMin(axis, keepDim), tx.argmin(axis, keepDim));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void TiesGoToTheFirst_NaNWins_LikeTorch(int axis)
    {
        double[] values = { 1, 3, 3, 3, 2, 1, double.NaN, 0, double.NaN, -1, -1, 7 };
        var x = Tensor.FromArray(values, 4, 3);
        using var scope = torch.NewDisposeScope();
        TT tx = torch.tensor(values, new long[] { 4, 3 }, dtype: torch.float64);
        Check(x.ArgMax(axis), tx.argmax(axis));
        Check(x.ArgMin(axis), tx.argmin(axis));
        Check(x.ArgMax(), tx.argmax());
        Check(x.ArgMin(), tx.argmin());
        Check(Tensor.FromArray(new double[] { 4, 9, 9, -2, -2 }, 5).ArgMax(), torch.tensor(new double[] { 4, 9, 9, -2, -2 }).argmax());
        Check(Tensor.FromArray(new double[] { 4, 9, 9, -2, -2 }, 5).ArgMin(), torch.tensor(new double[] { 4, 9, 9, -2, -2 }).argmin());
    }

    [Fact]
    public void NonContiguousInputs_MatchTorch()
    {
        Tensor<double> x = Tensor.Randn<double>(new Rng(8), 4, 5);
        using var scope = torch.NewDisposeScope();
        TT tx = TorchOracle.ToTorch(x);
        Check(x.Transpose(0, 1).ArgMax(1), tx.transpose(0, 1).argmax(1));
        Check(x.Narrow(1, 1, 3).ArgMin(0, keepDim: true), tx.narrow(1, 1, 3).argmin(0, true));
        Check(x.Narrow(0, 1, 2).Expand(3, 2, 5).ArgMax(), tx.narrow(0, 1, 2).expand(3, 2, 5).argmax());
    }

    [Fact]
    public void NeverRequiresGrad()
    {
        var x = Tensor.Randn<double>(new Rng(1), 3, 4);
        x.RequiresGrad = true;
        x.ArgMax(1).RequiresGrad.Should().BeFalse();
        x.ArgMin().RequiresGrad.Should().BeFalse();
    }

    [Fact]
    public void Throws_OnEmpty()
    {
        FluentActions.Invoking(() => Tensor.Zeros<float>(2, 0).ArgMax(1)).Should().Throw<ArgumentException>().WithMessage("ArgMax: axis 1 of shape [2, 0] has size 0*");
        FluentActions.Invoking(() => Tensor.Zeros<float>(0).ArgMin()).Should().Throw<ArgumentException>().WithMessage("ArgMin: the input (shape [0]) is empty*");
    }

    private static void Check<T>(Tensor<T> actual, TT expected)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        actual.Shape.ToArray().Should().Equal(TorchOracle.ShapeOf(expected), $"MiniNet's shape is {actual.Shape}, TorchSharp's [{string.Join(", ", TorchOracle.ShapeOf(expected))}]");
        long[] indices = expected.numel() == 0 ? [] : expected.data<long>().ToArray();
        Array.ConvertAll(actual.ToArray(), v => double.CreateChecked(v)).Should().Equal(Array.ConvertAll(indices, v => (double)v));
    }
}
