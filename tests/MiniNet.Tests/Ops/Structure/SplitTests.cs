using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

public class SplitTests
{
    public static TheoryData<int[], int, int> SplitCases => new()
    {
        { [5, 3], 2, 0 }, // 2, 2, 1: the last piece is smaller
        { [4, 6], 3, 1 },
        { [4, 6], 4, -1 },
        { [4, 6], 10, 1 }, // larger than the dimension: one piece
        { [3, 0], 2, 1 }, // an empty dimension gives one empty piece
        { [2, 3, 5], 2, 2 },
    };

    public static TheoryData<int[], int, int> ChunkCases => new()
    {
        { [5, 2], 4, 0 }, // ceil(5 / 4) = 2: pieces 2, 2, 1 (fewer than asked, as in PyTorch)
        { [6, 2], 3, 0 },
        { [2, 7], 3, -1 },
        { [2, 0], 3, 1 }, // an empty dimension gives three empty pieces
        { [3, 2], 5, 0 },
    };

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void Split_MatchesTorch(int[] shape, int size, int dim) => CheckPieces(shape, x => x.Split(size, dim), x => x.Split(size, dim), t => t.split(size, dim));

    [Theory]
    [MemberData(nameof(ChunkCases))]
    public void Chunk_MatchesTorch(int[] shape, int chunks, int dim) => CheckPieces(shape, x => x.Chunk(chunks, dim), x => x.Chunk(chunks, dim), t => t.chunk(chunks, dim));

    [Fact]
    public void SplitSizes_MatchesTorch() =>
        CheckPieces([3, 6], x => x.Split([1, 0, 3, 2], 1), x => x.Split([1, 0, 3, 2], 1), t => t.split(new long[] { 1, 0, 3, 2 }, 1));

    [Fact]
    public void SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            [[5, 3]],
            xs => Product(xs[0].Split(2, 0)),
            ts => ts[0].split(2, 0)[0].tanh() * ts[0].split(2, 0)[1] + ts[0].split(2, 0)[2].sum() * ts[0].split(2, 0)[2].sum());

    [Fact]
    public void Throws_OnBadSizes()
    {
        var x = Tensor.Zeros<float>(4, 3);
        FluentActions.Invoking(() => x.Split([1, 2], 0)).Should().Throw<ArgumentException>().WithMessage("Split: sizes [1, 2] must be non-negative and sum to the size 4 of dimension 0*");
        FluentActions.Invoking(() => x.Split(0, 1)).Should().Throw<ArgumentException>().WithMessage("Split: split size 0*");
        FluentActions.Invoking(() => x.Chunk(0, 1)).Should().Throw<ArgumentException>().WithMessage("Chunk: chunks must be positive*");
        FluentActions.Invoking(() => Tensor.Scalar(1f).Split(1)).Should().Throw<ArgumentException>().WithMessage("Split: cannot split a scalar*");
        FluentActions.Invoking(() => x.Split(1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Split*[4, 3]*");
    }

    private static Tensor<double> Product(Tensor<double>[] p) => p[0].Tanh().Mul(p[1]).Add(p[2].Sum().Mul(p[2].Sum()));

    // Weights every piece with its own random upstream gradient by concatenating the pieces' flattened values with a
    // distinct factor, so a piece that receives another's gradient shows; checks the piece shapes against TorchSharp.
    private static void CheckPieces(int[] shape, Func<Tensor<double>, Tensor<double>[]> mini, Func<Tensor<float>, Tensor<float>[]> miniFloat, Func<torch.Tensor, torch.Tensor[]> oracle)
    {
        using (torch.NewDisposeScope())
        {
            Tensor<double>[] pieces = mini(Tensor.Zeros<double>(shape));
            torch.Tensor[] expected = oracle(torch.zeros(shape.Select(d => (long)d).ToArray(), dtype: torch.float64));
            pieces.Select(p => p.Shape.ToArray()).Should().BeEquivalentTo(expected.Select(TorchOracle.ShapeOf), o => o.WithStrictOrdering(), "the pieces must match TorchSharp's");
        }

        OpCheck<double>.AgainstTorch([shape], xs => Joined(mini(xs[0])), ts => TorchJoined(oracle(ts[0])));
        OpCheck<float>.AgainstTorch([shape], xs => Joined(miniFloat(xs[0])), ts => TorchJoined(oracle(ts[0])));
    }

    private static Tensor<T> Joined<T>(Tensor<T>[] pieces)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        MiniNet.Ops.Cat(pieces.Select((p, k) => p.Reshape(-1).Mul(T.CreateChecked(k + 1))).ToArray());

    private static torch.Tensor TorchJoined(torch.Tensor[] pieces) => torch.cat(pieces.Select((p, k) => p.reshape(-1) * (k + 1)).ToArray(), 0);
}
