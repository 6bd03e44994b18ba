using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Data;
using Xunit;

namespace MiniNet.Tests.Data;

public class DataLoaderTests
{
    private static (Tensor<float> X, Tensor<float> Y, byte[] Labels) Dataset(int n)
    {
        // Row i of x is [i, 10 i]; its label is i % 3, so every batch row can be checked against its source.
        float[] x = Enumerable.Range(0, n).SelectMany(i => new[] { (float)i, 10f * i }).ToArray();
        byte[] labels = Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray();
        return (Tensor.FromArray(x, n, 2), Labels.OneHot(labels, 3), labels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Epoch_CoversEveryExampleOnce_KeepingRowsAligned(bool reuse)
    {
        var (x, y, labels) = Dataset(10);
        var loader = new DataLoader<float>(x, y, 4, new Rng(1), reuseBuffers: reuse, labels: labels);
        loader.BatchCount.Should().Be(3);
        var seen = new System.Collections.Generic.List<int>();
        var sizes = new System.Collections.Generic.List<int>();
        foreach (Batch<float> batch in loader)
        {
            sizes.Add(batch.Size);
            for (int r = 0; r < batch.Size; r++)
            {
                int i = (int)batch.Inputs[r, 0];
                batch.Indexes[r].Should().Be(i);
                batch.Inputs[r, 1].Should().Be(10f * i);
                batch.Labels[r].Should().Be(i % 3);
                batch.Targets[r, i % 3].Should().Be(1f);
                seen.Add(i);
            }
        }

        sizes.Should().Equal(4, 4, 2);
        seen.Should().BeEquivalentTo(Enumerable.Range(0, 10));
        seen.Should().NotEqual(Enumerable.Range(0, 10), "a seeded shuffle reorders the examples");
    }

    [Fact]
    public void ClassificationConstructor_OneHotsTheLabels()
    {
        var (x, _, labels) = Dataset(7);
        foreach (Batch<float> batch in new DataLoader<float>(x, labels, 3, batchSize: 2, new Rng(2)))
        {
            for (int r = 0; r < batch.Size; r++)
            {
                int label = batch.Labels[r];
                label.Should().Be(batch.Indexes[r] % 3);
                Enumerable.Range(0, 3).Select(c => batch.Targets[r, c]).Should().Equal(Enumerable.Range(0, 3).Select(c => c == label ? 1f : 0f));
            }
        }
    }

    [Fact]
    public void DropLast_DropsThePartialBatch()
    {
        var (x, y, _) = Dataset(10);
        var loader = new DataLoader<float>(x, y, 4, dropLast: true);
        loader.Select(b => b.Size).Should().Equal(4, 4);
        loader.First().Labels.Should().BeEmpty("no labels were given");
    }

    [Fact]
    public void NoGenerator_KeepsOrder_SameSeed_SameOrder_NewEpoch_NewOrder()
    {
        var (x, y, _) = Dataset(12);
        new DataLoader<float>(x, y, 5).SelectMany(b => b.Indexes).Should().Equal(Enumerable.Range(0, 12));
        int[] a = new DataLoader<float>(x, y, 5, new Rng(3)).SelectMany(b => b.Indexes).ToArray();
        var loader = new DataLoader<float>(x, y, 5, new Rng(3));
        loader.SelectMany(b => b.Indexes).Should().Equal(a);
        loader.SelectMany(b => b.Indexes).Should().NotEqual(a, "each epoch draws a new permutation");
    }

    [Fact]
    public void Throws_OnMismatchedFirstDimension_NamingShapes()
    {
        Action act = () => _ = new DataLoader<float>(Tensor.Zeros(5, 2), Tensor.Zeros(4, 3), 2);
        act.Should().Throw<ArgumentException>().WithMessage("*[5, 2]*[4, 3]*");
    }
}

public class LabelsTests
{
    [Fact]
    public void OneHot_SetsExactlyTheLabelColumn()
    {
        Tensor<double> t = Labels.OneHot<double>(new[] { 2, 0, 1 }, 3);
        t.ToArray().Should().Equal(0, 0, 1, 1, 0, 0, 0, 1, 0);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void OneHot_Throws_OnOutOfRangeLabel_NamingIndexAndValue(int bad)
    {
        Action act = () => Labels.OneHot<float>(new[] { 0, 1, bad }, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*index 2 is {bad}*");
    }

    [Fact]
    public void ArgMax_PicksFirstLargest_PerRow()
    {
        Labels.ArgMax(Tensor.FromArray(new[] { 0.1f, 0.7f, 0.7f, 3f, -1f, 2f }, 2, 3)).Should().Equal(1, 0);
    }

    [Fact]
    public void LargeBatches_StayPoolable_AndHoldTheirRows()
    {
        // 250 rows of 101 floats: 101,000 bytes, a pooled length. The loader copies through kernel spans, so a batch the
        // user drops undisposed can go back to StoragePool (a public span would have dropped its array from the pool).
        const int n = 500, width = 101, batchSize = 250;
        float[] values = Enumerable.Range(0, n * width).Select(i => (float)i).ToArray();
        var x = Tensor.FromArray(values, n, width);
        Tensor<float> y = Tensor.Zeros<float>(n, 1);
        var loader = new DataLoader<float>(x, y, batchSize, new Rng(3));
        foreach (Batch<float> batch in loader)
        {
            batch.Inputs.IsStorageTracked.Should().BeTrue("the loader writes the batch through a kernel span");
            for (int r = 0; r < batch.Size; r += 37)
            {
                int source = batch.Indexes[r];
                batch.Inputs[r, width - 1].Should().Be(((source + 1) * width) - 1, "row r is the source row, fully copied");
            }
        }

        x.IsStorageTracked.Should().BeTrue("reading the source does not expose it either");
    }
}
