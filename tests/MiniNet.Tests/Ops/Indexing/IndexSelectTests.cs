using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class IndexSelectTests
{
    public static TheoryData<int[], int, int[]> Cases => new()
    {
        { [4, 3], 0, [2, 0, 2, 3] }, // repeats add their gradients
        { [4, 3], 1, [1] },
        { [4, 3], -1, [2, 1, 0] },
        { [2, 3, 4], 1, [0, 2] },
        { [2, 3, 4], 2, [3, 3, 3, 0, 1] },
        { [5], 0, [4, 0] },
        { [4, 3], 0, [] }, // no indices: an empty result
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Double(int[] shape, int dim, int[] indices) =>
        OpCheck<double>.AgainstTorch([shape], xs => xs[0].IndexSelect(dim, indices), ts => ts[0].index_select(dim, GatherTests.TorchIndex(indices, [indices.Length])));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Float(int[] shape, int dim, int[] indices) =>
        OpCheck<float>.AgainstTorch([shape], xs => xs[0].IndexSelect(dim, GatherTests.Index<float>(indices, [indices.Length])), ts => ts[0].index_select(dim, GatherTests.TorchIndex(indices, [indices.Length])));

    [Fact]
    public void SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[4, 3]],
            xs => xs[0].IndexSelect(0, [3, 1, 3]).Tanh().Mul(xs[0].IndexSelect(0, [0, 1, 2])),
            ts => ts[0].index_select(0, GatherTests.TorchIndex([3, 1, 3], [3])).tanh() * ts[0].index_select(0, GatherTests.TorchIndex([0, 1, 2], [3])));

    [Fact]
    public void Throws_OnIndexOutOfRange_NamingPositionAndValue()
    {
        var x = Tensor.Zeros<float>(4, 3);
        FluentActions.Invoking(() => x.IndexSelect(1, [0, 3])).Should().Throw<ArgumentException>()
            .WithMessage("IndexSelect: index 3 at position 1 is out of range for dimension 1 of size 3 (input shape [4, 3])*");
        FluentActions.Invoking(() => x.IndexSelect(0, Tensor.Zeros<float>(1, 1))).Should().Throw<ArgumentException>().WithMessage("IndexSelect: the index tensor must be 1-D*");
        FluentActions.Invoking(() => x.IndexSelect(2, [0])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*IndexSelect*[4, 3]*");
    }
}
