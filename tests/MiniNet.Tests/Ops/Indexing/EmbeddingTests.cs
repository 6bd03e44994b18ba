using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops.Indexing;

public class EmbeddingTests
{
    private static readonly int[] Indices = { 3, 0, 3, 4, 1, 3 };

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    [InlineData(-1)]
    public void MatchesTorch_WithRepeatedIndices_AndPadding(int? padding)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 5, 4 } },
            ws => ws[0].Embedding(Indices, new Shape(2, 3), padding),
            ts => TorchLookup(ts[0], padding is { } p ? (p < 0 ? p + 5 : p) : -1),
            gradCheck: padding is null); // the padding row's zero gradient is a convention, not the derivative
    }

    // PyTorch's padding_idx as a graph: the padding row enters detached, so it gets no gradient.
    private static TorchSharp.torch.Tensor TorchLookup(TorchSharp.torch.Tensor weight, int padding)
    {
        var mask = torch.ones(5, 1, dtype: torch.float64);
        if (padding >= 0)
        {
            mask[padding] = torch.zeros(1, dtype: torch.float64);
        }

        var table = (weight * mask) + (weight.detach() * (1 - mask));
        var index = torch.tensor(Indices.Select(i => (long)i).ToArray());
        return table.index_select(0, index).reshape(2, 3, 4);
    }

    [Fact]
    public void Throws_NamingTheBadIndexAndPosition()
    {
        var w = Tensor.Ones<double>(5, 2);
        ((Action)(() => w.Embedding(new[] { 1, 5 }, new Shape(2)))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*index 5 at position 1*5 rows*");
        ((Action)(() => w.Embedding(new[] { -1 }, new Shape(1)))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*index -1 at position 0*");
        ((Action)(() => w.Embedding(new[] { 1 }, new Shape(1), paddingIndex: 5))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*padding*");
    }
}
