using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.Data;
using MiniNet.Samples.Mnist;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary>
/// A test that needs Fashion-MNIST under <see cref="Options.FashionDirectory"/>: it reports as skipped, saying how to
/// install it, when the files are absent (samples/data/fashion-mnist/install.sh, which .ci/run calls).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!File.Exists(Path.Combine(Options.FashionDirectory, "t10k-labels-idx1-ubyte.gz")))
        {
            Skip = $"Fashion-MNIST is not installed in {Options.FashionDirectory}: run 'sh samples/data/fashion-mnist/install.sh' (apt-get install dataset-fashion-mnist).";
        }
    }
}

/// <summary><c>--dataset fashion</c>: Debian's Fashion-MNIST, loaded, normalised and trained on.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FashionMnistTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-fashion-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [FashionMnistFact]
    public void Dataset_Has60000And10000Images_6000And1000PerClass_AndTheCnnNormalisationFitsIt()
    {
        MnistDataset data = MnistDataset.Load(Options.FashionDirectory);
        (data.TrainLabels.Length, data.TestLabels.Length, data.Rows, data.Columns).Should().Be((60000, 10000, 28, 28));
        for (int c = 0; c < 10; c++)
        {
            data.TrainLabels.Count(l => l == c).Should().Be(6000, $"class {c} in the training set");
            data.TestLabels.Count(l => l == c).Should().Be(1000, $"class {c} in the test set");
        }

        // The first training labels as Zalando's mnist_reader gives them: 9 (ankle boot), 0 (T-shirt), 0, 3 (dress), 0.
        data.TrainLabels[..5].Should().Equal(9, 0, 0, 3, 0);

        // The CNN's normalisation constants are this training set's pixel mean and standard deviation (to 4 digits).
        double sum = 0, squares = 0;
        foreach (float v in data.TrainImages.AsReadOnlySpan())
        {
            sum += v;
            squares += (double)v * v;
        }

        double n = data.TrainImages.Count, mean = sum / n, std = Math.Sqrt((squares / n) - (mean * mean));
        (float expectedMean, float expectedStd) = Network.Normalisation(DatasetKind.Fashion);
        mean.Should().BeApproximately(expectedMean, 5e-5);
        std.Should().BeApproximately(expectedStd, 5e-5);
    }

    [FashionMnistFact]
    public void DatasetFashion_TrainsTheMlp_WellAboveChance()
    {
        string plot = Path.Combine(_dir, "fashion.png");
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--dataset", "fashion", "--epochs", "1", "--hidden", "30", "--train-size", "5000", "--validation", "--plot", plot });

        exitCode.Should().Be(0, error);
        output.Should().Contain($"Data: {Options.FashionDirectory}: 60,000 training and 10,000 test images of 28x28");
        double accuracy = double.Parse(SampleRunner.EpochRows(output).Single().Split(' ')[3], CultureInfo.InvariantCulture);
        accuracy.Should().BeGreaterThan(65, "one epoch on 5,000 clothing images is far above the 10 % of chance:\n" + output);
    }

    [Fact]
    public void DatasetFashion_WithTheFilesMissing_StopsBeforeLoading_NamingTheInstallScript()
    {
        string installed = Options.FashionDirectory;
        Options.FashionDirectory = Path.Combine(_dir, "not-installed");
        try
        {
            var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--dataset", "fashion", "--plot", Path.Combine(_dir, "x.png") });
            exitCode.Should().Be(2);
            output.Should().BeEmpty();
            error.Trim().Should().Be(
                $"error: --dataset fashion: '{Options.FashionDirectory}' does not exist; install it with 'sh samples/data/fashion-mnist/install.sh' " +
                "(apt-get install dataset-fashion-mnist) or give --data DIR; try --help.");
        }
        finally
        {
            Options.FashionDirectory = installed;
        }
    }

    [Fact]
    public void DatasetOption_RejectsAnUnknownName()
    {
        var (exitCode, _, error) = SampleRunner.Mnist(new[] { "--dataset", "cifar", "--plot", Path.Combine(_dir, "x.png") });
        exitCode.Should().Be(2);
        error.Split('\n')[0].Should().StartWith("error: --dataset");
    }
}
