using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary><c>--model cnn</c>: PyTorch's examples/mnist convnet trained briefly on the real digits.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MnistCnnSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-mnist-cnn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Cnn_LearnsFromTwoThousandRealDigits_AndResumesTheStepLRRate()
    {
        // Two epochs of 1,000 digits (16 Adadelta steps of 64 each), evaluated on 2,000 held-out training digits.
        string plot = Path.Combine(_dir, "cnn.png"), save = Path.Combine(_dir, "cnn.safetensors");
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--model", "cnn", "--epochs", "2", "--train-size", "1000", "--validation", "--plot", plot, "--save", save });

        exitCode.Should().Be(0, error);
        output.Should().Contain("PyTorch's examples/mnist CNN").And.Contain("adadelta lr=1, StepLR gamma 0.7, batch 64, 2 epochs");
        string[][] rows = SampleRunner.EpochRows(output).Select(r => r.Split(' ')).ToArray();
        rows.Should().HaveCount(2, output);

        // Columns: epoch, train loss, validation loss, validation accuracy, "%". Chance is 10 % and a loss of ln 10 = 2.30.
        double loss1 = Parse(rows[0][2]), loss2 = Parse(rows[1][2]), accuracy2 = Parse(rows[1][3]);
        loss2.Should().BeLessThan(loss1, "the validation loss falls from epoch 1 to epoch 2:\n" + output);
        loss2.Should().BeLessThan(1.0, output);
        accuracy2.Should().BeGreaterThan(70, "32 Adadelta steps take the convnet far above chance:\n" + output);
        File.Exists(save).Should().BeTrue();
        File.ReadAllBytes(plot)[..4].Should().Equal(0x89, 0x50, 0x4E, 0x47);
    }

    [Theory]
    [InlineData("--model", "cnn", "--lr-gamma", "0")]
    [InlineData("--model", "rnn")]
    public void BadModelOptions_ExitWithTwo_NamingTheOption(params string[] args)
    {
        var (exitCode, _, error) = SampleRunner.Mnist(args.Append("--plot").Append(Path.Combine(_dir, "x.png")).ToArray());

        exitCode.Should().Be(2);
        error.Split('\n')[0].Should().StartWith("error: --").And.Contain(args[^2]);
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
