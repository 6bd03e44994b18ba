using System;
using System.IO;
using System.Linq;
using FluentAssertions;
using Xunit;
using MnistProgram = MiniNet.Samples.Mnist.Program;

namespace MiniNet.Tests.Samples;

/// <summary>Runs the MNIST sample's entry point in-process, on the embedded data it ships with.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MnistSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-mnist-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        TextWriter stdout = Console.Out, stderr = Console.Error;
        var output = new StringWriter();
        var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (MnistProgram.Main(args), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    /// <summary>The per-epoch rows without the timing columns (seconds, samples/s), which vary run to run.</summary>
    private static string[] EpochRows(string output) =>
        output.Split('\n').Where(l => l.Contains(" %")).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4))).ToArray();

    [Fact]
    public void OneEpoch_OnEmbeddedData_TrainsSavesAndPlots()
    {
        string model = Path.Combine(_dir, "model.safetensors"), plot = Path.Combine(_dir, "curve.png");
        var (exitCode, output, error) = Run("--epochs", "1", "--hidden", "30", "--save", model, "--plot", plot);

        exitCode.Should().Be(0, error);
        output.Should().Contain("60,000 training and 10,000 test images");
        EpochRows(output).Should().HaveCount(1);
        double accuracy = double.Parse(EpochRows(output)[0].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        accuracy.Should().BeGreaterThan(85, "one epoch of Nielsen's network on 60,000 digits already classifies most test digits");
        File.Exists(model).Should().BeTrue();
        File.ReadAllBytes(plot).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });

        var (reloaded, reloadOutput, _) = Run("--epochs", "1", "--hidden", "30", "--load", model, "--plot", plot);
        reloaded.Should().Be(0);
        reloadOutput.Should().Contain("Loaded parameters");
    }

    [Fact]
    public void SameSeed_GivesSameNumbers()
    {
        string plot = Path.Combine(_dir, "p.png");
        string[] args = { "--epochs", "1", "--hidden", "20", "--seed", "7", "--plot", plot };
        EpochRows(Run(args).Output).Should().Equal(EpochRows(Run(args).Output)).And.HaveCount(1);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--epochs", "zero")]
    [InlineData("--loss", "hinge")]
    [InlineData("--data", "/nonexistent/mnist")]
    public void BadOption_OneLineErrorAndUsage_ExitCode2(params string[] args)
    {
        var (exitCode, _, error) = Run(args);
        exitCode.Should().Be(2);
        error.Split('\n')[0].Should().StartWith("error: ");
        error.Should().Contain("Usage:");
    }

    [Fact]
    public void CorruptData_ReportsFileWithoutStackTrace()
    {
        File.WriteAllBytes(Path.Combine(_dir, "train-images-idx3-ubyte"), new byte[] { 0, 0, 8, 3, 0, 0 });
        var (exitCode, _, error) = Run("--data", _dir);
        exitCode.Should().Be(1);
        error.Should().StartWith("error: ").And.NotContain("   at ");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
