using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class CatTests
{
    public static TheoryData<int[][], int> CatCases => new()
    {
        { [[2, 3], [2, 4]], 1 },
        { [[2, 3], [2, 4]], -1 },
        { [[1, 3], [4, 3], [2, 3]], 0 },
        { [[2, 0, 3], [2, 2, 3]], 1 }, // an input empty along the joined dim
        { [[2, 3, 1], [2, 3, 2], [2, 3, 1], [2, 3, 3], [2, 3, 1]], 2 }, // more than the three inline inputs
        { [[3], [5]], 0 },
        { [[2, 2, 2]], -2 },
    };

    public static TheoryData<int[], int, int> StackCases => new()
    {
        { [2, 3], 3, 0 },
        { [2, 3], 4, 1 },
        { [2, 3], 2, 2 },
        { [2, 3], 2, -1 },
        { [2, 3], 5, -3 },
        { [], 3, 0 }, // scalars stack into a vector
        { [0, 2], 2, 1 },
    };

    [Theory]
    [MemberData(nameof(CatCases))]
    public void Cat_MatchesTorch_Double(int[][] shapes, int dim) =>
        OpCheck<double>.AgainstTorch(shapes, xs => MiniNet.Ops.Cat(xs, dim), ts => torch.cat(ts, dim));

    [Theory]
    [MemberData(nameof(CatCases))]
    public void Cat_MatchesTorch_Float(int[][] shapes, int dim) =>
        OpCheck<float>.AgainstTorch(shapes, xs => MiniNet.Ops.Cat(xs, dim), ts => torch.cat(ts, dim));

    [Theory]
    [MemberData(nameof(StackCases))]
    public void Stack_MatchesTorch_Double(int[] shape, int count, int dim) =>
        OpCheck<double>.AgainstTorch(Enumerable.Repeat(shape, count).ToArray(), xs => MiniNet.Ops.Stack(xs, dim), ts => torch.stack(ts, dim));

    [Theory]
    [MemberData(nameof(StackCases))]
    public void Stack_MatchesTorch_Float(int[] shape, int count, int dim) =>
        OpCheck<float>.AgainstTorch(Enumerable.Repeat(shape, count).ToArray(), xs => MiniNet.Ops.Stack(xs, dim), ts => torch.stack(ts, dim));

    [Fact]
    public void Cat_SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[2, 3], [2, 1], [2, 2], [2, 2]],
            xs => MiniNet.Ops.Cat(xs, 1).Tanh().Mul(MiniNet.Ops.Cat([xs[3], xs[0], xs[1], xs[2]], 1)),
            ts => torch.cat(ts, 1).tanh() * torch.cat(new[] { ts[3], ts[0], ts[1], ts[2] }, 1));

    [Fact]
    public void Stack_SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[3, 2], [3, 2]],
            xs => MiniNet.Ops.Stack(xs, 1).Tanh().Mul(MiniNet.Ops.Stack([xs[1], xs[0]], -1)),
            ts => torch.stack(ts, 1).tanh() * torch.stack(new[] { ts[1], ts[0] }, -1));

    [Fact]
    public void SameTensorTwice_GetsBothGradients()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, 2);
        x.RequiresGrad = true;
        MiniNet.Ops.Cat([x, x, x]).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(3, 3);
    }

    [Fact]
    public void OnlySomeInputsNeedGradients()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 }, 2);
        var b = Tensor.FromArray(new double[] { 3 }, 1);
        b.RequiresGrad = true;
        MiniNet.Ops.Cat([a, b]).Mul(Tensor.FromArray(new double[] { 5, 6, 7 }, 3)).Sum().Backward();
        b.Grad!.ToArray().Should().Equal(7);
        a.Grad.Should().BeNull();
    }

    [Fact]
    public void Throws_OnShapeMismatch_NamingTensorIndexAndShapes()
    {
        Action act = () => MiniNet.Ops.Cat([Tensor.Zeros<float>(2, 3), Tensor.Zeros<float>(2, 3), Tensor.Zeros<float>(3, 4)], 1);
        act.Should().Throw<ArgumentException>().WithMessage("Cat: tensor 2 has shape [3, 4] but tensor 0 has shape [2, 3]*dimension 1*");
        Action rank = () => MiniNet.Ops.Cat([Tensor.Zeros<float>(2, 3), Tensor.Zeros<float>(2, 3, 1)], 0);
        rank.Should().Throw<ArgumentException>().WithMessage("Cat: tensor 1 has shape [2, 3, 1]*");
    }

    [Fact]
    public void Throws_OnEmptyList_Scalar_AndBadDim()
    {
        FluentActions.Invoking(() => MiniNet.Ops.Cat(Array.Empty<Tensor<float>>())).Should().Throw<ArgumentException>().WithMessage("Cat: expected a non-empty list*");
        FluentActions.Invoking(() => MiniNet.Ops.Cat([Tensor.Scalar(1f)])).Should().Throw<ArgumentException>().WithMessage("Cat: tensor 0 is a scalar*");
        FluentActions.Invoking(() => MiniNet.Ops.Cat([Tensor.Zeros<float>(2)], 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Cat*[2]*");
        FluentActions.Invoking(() => MiniNet.Ops.Stack([Tensor.Zeros<float>(2), Tensor.Zeros<float>(3)])).Should().Throw<ArgumentException>()
            .WithMessage("Stack: tensor 1 has shape [3] but tensor 0 has shape [2]*");
        FluentActions.Invoking(() => MiniNet.Ops.Stack([Tensor.Zeros<float>(2)], 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Stack: dim 2*");
    }
}
