using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary>Runs the MNIST sample's entry point in-process, on the full MNIST it ships with (subsets via --train-size).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MnistSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-mnist-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => SampleRunner.Mnist(args);

    [Fact]
    public void OneEpoch_OnEmbeddedData_TrainsSavesAndPlots()
    {
        string model = Path.Combine(_dir, "model.safetensors"), plot = Path.Combine(_dir, "curve.png");
        var (exitCode, output, error) = Run("--epochs", "1", "--hidden", "30", "--train-size", "10000", "--save", model, "--plot", plot);

        exitCode.Should().Be(0, error);
        output.Should().Contain("60,000 training and 10,000 test images").And.Contain("training on 10,000, evaluating on 10,000 test images");
        string[] rows = SampleRunner.EpochRows(output);
        rows.Should().HaveCount(1);
        double accuracy = double.Parse(rows[0].Split(' ')[3], CultureInfo.InvariantCulture);
        accuracy.Should().BeGreaterThan(85, "one epoch of Nielsen's network on 10,000 digits already classifies most test digits");
        File.Exists(model).Should().BeTrue();
        File.ReadAllBytes(plot).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });

        var (reloaded, reloadOutput, _) = Run("--epochs", "1", "--hidden", "30", "--train-size", "1000", "--load", model, "--plot", plot);
        reloaded.Should().Be(0);
        reloadOutput.Should().Contain("Loaded parameters");
    }

    [Fact]
    public void Validation_TrainsOnFirst50000_AndMonitorPrintsFourFigures()
    {
        string plot = Path.Combine(_dir, "v.png");
        var (exitCode, output, error) = Run("--epochs", "1", "--hidden", "10", "--validation", "--monitor", "--train-size", "5000", "--lambda", "5", "--plot", plot);

        exitCode.Should().Be(0, error);
        output.Should().Contain("training on 5,000, evaluating on 10,000 validation images");
        output.Should().Contain("train cost").And.Contain("train acc").And.Contain("validation cost").And.Contain("validation acc");
        string[] fields = SampleRunner.EpochRows(output).Single().Split(' ');
        fields.Should().HaveCount(7, "epoch, training cost, accuracy %, evaluation cost, accuracy %");
    }

    [Fact]
    public void Validation_WithTooLargeTrainSize_SaysSo()
    {
        var (exitCode, _, error) = Run("--validation", "--train-size", "55000", "--plot", Path.Combine(_dir, "x.png"));
        exitCode.Should().Be(1);
        error.Should().Contain("--train-size 55,000 is larger than the 50,000 training images available besides the validation set");
    }

    [Fact]
    public void SameSeed_GivesSameNumbers()
    {
        string plot = Path.Combine(_dir, "p.png");
        string[] args = { "--epochs", "1", "--hidden", "20", "--seed", "7", "--train-size", "3000", "--plot", plot };
        SampleRunner.EpochRows(Run(args).Output).Should().Equal(SampleRunner.EpochRows(Run(args).Output)).And.HaveCount(1);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--epochs", "zero")]
    [InlineData("--loss", "hinge")]
    [InlineData("--init", "gaussian")]
    [InlineData("--preset", "ch9")]
    [InlineData("--data", "/nonexistent/mnist")]
    public void BadOption_OneLineError_ExitCode2(params string[] args)
    {
        // Issue 15: one line (the usage text printed after it buried the error under 40 lines).
        var (exitCode, _, error) = Run(args);
        exitCode.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: ").And.EndWith("; try --help.");
        error.Should().NotContain("Usage:");
    }

    [Fact]
    public void CorruptData_ReportsFileWithoutStackTrace()
    {
        File.WriteAllBytes(Path.Combine(_dir, "train-images-idx3-ubyte"), new byte[] { 0, 0, 8, 3, 0, 0 });
        var (exitCode, _, error) = Run("--data", _dir, "--plot", Path.Combine(_dir, "p.png"));
        exitCode.Should().Be(1);
        error.Should().StartWith("error: ").And.NotContain("   at ");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
