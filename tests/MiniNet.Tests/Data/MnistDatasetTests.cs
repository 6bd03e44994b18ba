using System;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.Data;
using Xunit;

namespace MiniNet.Tests.Data;

public sealed class MnistDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-mnist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string EmbeddedDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", "mnist");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/data/mnist not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Load_EmbeddedSubset_HasDocumentedCountsAndClassBalance()
    {
        MnistDataset mnist = MnistDataset.Load(EmbeddedDirectory());
        mnist.TrainImages.Shape.ToArray().Should().Equal(8000, 784);
        mnist.TestImages.Shape.ToArray().Should().Equal(2000, 784);
        mnist.TrainLabels.Should().HaveCount(8000);
        mnist.TestLabels.Should().HaveCount(2000);
        (mnist.Rows, mnist.Columns).Should().Be((28, 28));

        // README: per-class train counts, and each split starts 0 1 2 ... 9 (round-robin).
        int[] trainPerClass = { 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 };
        Enumerable.Range(0, 10).Select(c => mnist.TrainLabels.Count(l => l == c)).Should().Equal(trainPerClass);
        mnist.TestLabels.Take(10).Select(l => (int)l).Should().Equal(Enumerable.Range(0, 10));
        float[] pixels = mnist.TrainImages.ToArray();
        pixels.Min().Should().Be(0f);
        pixels.Max().Should().Be(1f);
    }

    private void WriteSet(string prefix, int count, int labelCount, bool gzip)
    {
        byte[] images = IdxTests.IdxBytes(Idx.ImagesMagic, new[] { count, 2, 2 }, new byte[count * 4]);
        byte[] labels = IdxTests.IdxBytes(Idx.LabelsMagic, new[] { labelCount }, new byte[labelCount]);
        string suffix = gzip ? ".gz" : string.Empty;
        File.WriteAllBytes(Path.Combine(_dir, $"{prefix}-images-idx3-ubyte{suffix}"), gzip ? IdxTests.Gzip(images) : images);
        File.WriteAllBytes(Path.Combine(_dir, $"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? IdxTests.Gzip(labels) : labels);
    }

    [Fact]
    public void Load_MixedPlainAndGzip_Works()
    {
        WriteSet("train", 3, 3, gzip: false);
        WriteSet("t10k", 2, 2, gzip: true);
        MnistDataset mnist = MnistDataset.Load(_dir);
        mnist.TrainImages.Shape.ToArray().Should().Equal(3, 4);
        mnist.TestImages.Shape.ToArray().Should().Equal(2, 4);
    }

    [Fact]
    public void Throws_OnLabelImageCountMismatch_NamingBothFiles()
    {
        WriteSet("train", 3, 4, gzip: false);
        WriteSet("t10k", 2, 2, gzip: false);
        Action act = () => MnistDataset.Load(_dir);
        act.Should().Throw<IdxFormatException>().WithMessage("*train-labels*4 labels*train-images*3 images*");
    }

    [Fact]
    public void Throws_OnMissingFile_NamingBothCandidates()
    {
        WriteSet("train", 3, 3, gzip: false);
        Action act = () => MnistDataset.Load(_dir);
        act.Should().Throw<FileNotFoundException>().WithMessage("*t10k-images-idx3-ubyte'*t10k-images-idx3-ubyte.gz*");
    }
}
