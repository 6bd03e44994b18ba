using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary>The chapter's presets on the real digits: the behaviour each demonstrates, not the exact figure.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MnistPresetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-mnist-preset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void InitCompare_NewInitIsAheadOfTheOldAfterOneEpoch_AndPlotsBoth()
    {
        // Nielsen's ch3-init-compare (eta 0.1, lambda 5, [784, 30, 10], validation data), one epoch on 10,000 images.
        string plot = Path.Combine(_dir, "init.png");
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--preset", "ch3-init-compare", "--epochs", "1", "--train-size", "10000", "--plot", plot });

        exitCode.Should().Be(0, error);
        output.Should().Contain("Preset ch3-init-compare").And.Contain("evaluating on 10,000 validation images");
        output.Should().Contain("Book:    ch. 3 (weight initialization)");
        double large = Accuracy(output, "large"), nielsen = Accuracy(output, "nielsen");

        // N(0, 1) weights saturate the hidden sigmoids (z has std ~ sqrt(n_in * mean(x^2)) ~ 10), so the old init
        // learns slowly at first; N(0, 1/n_in) keeps z near 1 and starts learning at once.
        nielsen.Should().BeGreaterThan(large + 3, "the book's figure: the new initialisation is far ahead after the first epoch");
        nielsen.Should().BeGreaterThan(85);
        File.ReadAllBytes(plot)[..4].Should().Equal(0x89, 0x50, 0x4E, 0x47);
    }

    [Fact]
    public void LaterOptions_OverrideThePreset()
    {
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--epochs", "1", "--hidden", "7", "--preset", "ch3-l2-30", "--train-size", "500", "--plot", Path.Combine(_dir, "p.png") });
        exitCode.Should().Be(0, error);
        output.Should().Contain("[784, 7, 10] sigmoid hidden layer, init large").And.Contain("eta=0.5, lambda=5, batch 10, 1 epochs");
    }

    private static double Accuracy(string output, string init)
    {
        Match m = Regex.Match(output, $@"MiniNet: ([0-9.]+) % on the validation data.*, init {init},");
        m.Success.Should().BeTrue($"the summary line for init {init} is printed:\n{output}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
