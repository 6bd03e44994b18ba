using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
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
    public void Load_EmbeddedData_IsTheFullMnistWithItsPublishedCounts()
    {
        MnistDataset mnist = MnistDataset.Load(EmbeddedDirectory());
        mnist.TrainImages.Shape.ToArray().Should().Equal(60000, 784);
        mnist.TestImages.Shape.ToArray().Should().Equal(10000, 784);
        mnist.TrainLabels.Should().HaveCount(60000);
        mnist.TestLabels.Should().HaveCount(10000);
        (mnist.Rows, mnist.Columns).Should().Be((28, 28));

        // Per-class counts as LeCun's site and torchvision publish them, and the well-known first labels of each file.
        int[] trainPerClass = { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 };
        int[] testPerClass = { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 };
        Enumerable.Range(0, 10).Select(c => mnist.TrainLabels.Count(l => l == c)).Should().Equal(trainPerClass);
        Enumerable.Range(0, 10).Select(c => mnist.TestLabels.Count(l => l == c)).Should().Equal(testPerClass);
        mnist.TrainLabels.Take(10).Select(l => (int)l).Should().Equal(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
        mnist.TestLabels.Take(10).Select(l => (int)l).Should().Equal(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
        float[] pixels = mnist.TestImages.ToArray();
        pixels.Min().Should().Be(0f);
        pixels.Max().Should().Be(1f);
    }

    [Fact]
    public void EmbeddedFiles_DecompressToTheOriginalMnistBytes()
    {
        // The MD5s published for the original files (issue 12, samples/data/mnist/README.md).
        (string Name, string Md5)[] files =
        {
            ("train-images-idx3-ubyte.gz", "6bbc9ace898e44ae57da46a324031adb"),
            ("train-labels-idx1-ubyte.gz", "a25bea736e30d166cdddb491f175f624"),
            ("t10k-images-idx3-ubyte.gz", "2646ac647ad5339dbf082846283269ea"),
            ("t10k-labels-idx1-ubyte.gz", "27ae3e4e09519cfbb04c329615203637"),
        };
        foreach ((string name, string md5) in files)
        {
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(EmbeddedDirectory(), name)), CompressionMode.Decompress);
            Convert.ToHexStringLower(MD5.HashData(gzip)).Should().Be(md5, name);
        }
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
