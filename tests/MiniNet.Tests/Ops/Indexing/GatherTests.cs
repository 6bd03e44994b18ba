using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class GatherTests
{
    // Shape of the input, dim, shape of the index; the index values are drawn in range (with repeats) from a seed.
    public static TheoryData<int[], int, int[]> GatherCases => new()
    {
        { [3, 4], 1, [3, 6] },
        { [3, 4], 0, [5, 4] },
        { [3, 4], -1, [2, 2] }, // index smaller than the input in the other dimension
        { [2, 3, 4], 1, [2, 5, 3] },
        { [2, 3, 4], 0, [1, 3, 4] },
        { [4], 0, [7] },
        { [3, 4], 1, [3, 0] }, // empty index
    };

    [Theory]
    [MemberData(nameof(GatherCases))]
    public void MatchesTorch_Double(int[] shape, int dim, int[] indexShape)
    {
        int[] index = Indices(shape, dim, indexShape);
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].Gather(dim, Index<double>(index, indexShape)), ts => ts[0].gather(dim, TorchIndex(index, indexShape)));
    }

    [Theory]
    [MemberData(nameof(GatherCases))]
    public void MatchesTorch_Float(int[] shape, int dim, int[] indexShape)
    {
        int[] index = Indices(shape, dim, indexShape);
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].Gather(dim, index, new Shape(indexShape)), ts => ts[0].gather(dim, TorchIndex(index, indexShape)));
    }

    [Fact]
    public void SecondOrder_MatchesTorch()
    {
        int[] index = Indices([3, 4], 1, [3, 5]);
        SecondOrderCheck.AgainstTorch(
            [[3, 4]],
            xs => xs[0].Gather(1, index, new Shape(3, 5)).Tanh().Mul(xs[0].Gather(1, index, new Shape(3, 5))),
            ts => ts[0].gather(1, TorchIndex(index, [3, 5])).tanh() * ts[0].gather(1, TorchIndex(index, [3, 5])));
    }

    [Fact]
    public void WithArgMax_PicksTheMaxima()
    {
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 7, 0, 3 }, 2, 3);
        x.Gather(1, x.ArgMax(1, keepDim: true)).ToArray().Should().Equal(5, 7);
    }

    [Fact]
    public void Throws_OnIndexOutOfRange_NamingPositionAndValue()
    {
        var x = Tensor.Zeros<float>(2, 3);
        FluentActions.Invoking(() => x.Gather(1, [0, 1, 3, 2], new Shape(2, 2))).Should().Throw<ArgumentException>()
            .WithMessage("Gather: index 3 at position [1, 0] is out of range for dimension 1 of size 3 (input shape [2, 3])*");
        FluentActions.Invoking(() => x.Gather(1, [-1], new Shape(1, 1))).Should().Throw<ArgumentException>().WithMessage("Gather: index -1 at position [0, 0]*");
        FluentActions.Invoking(() => x.Gather(1, Tensor.FromArray(new float[] { 0.5f }, 1, 1))).Should().Throw<ArgumentException>()
            .WithMessage("Gather: the index tensor (shape [1, 1]) holds 0.5 at flat position 0; indices must be whole numbers*");
        FluentActions.Invoking(() => x.Gather(1, [0, 0, 0], new Shape(3, 1))).Should().Throw<ArgumentException>().WithMessage("Gather: an index of shape [3, 1]*");
        FluentActions.Invoking(() => x.Gather(0, [0, 0], new Shape(2))).Should().Throw<ArgumentException>().WithMessage("Gather: an index of shape [2]*same rank*");
    }

    internal static int[] Indices(int[] shape, int dim, int[] indexShape)
    {
        int n = shape[dim < 0 ? dim + shape.Length : dim];
        var rng = new Rng(11);
        int count = indexShape.Aggregate(1, (a, b) => a * b);
        return Enumerable.Range(0, count).Select(_ => (int)(rng.NextDouble() * n)).ToArray();
    }

    internal static Tensor<T> Index<T>(int[] index, int[] shape)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        Tensor.FromArray<T>(index.Select(v => T.CreateChecked(v)).ToArray(), shape);

    internal static torch.Tensor TorchIndex(int[] index, int[] shape) =>
        torch.tensor(index.Select(v => (long)v).ToArray(), shape.Select(d => (long)d).ToArray(), dtype: torch.int64);
}
