using System;
using System.IO;
using System.Threading;
using FluentAssertions;
using MiniNet.IO;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary>The MNIST sample never loses a run: bad output paths fail before training, Ctrl-C saves a checkpoint that
/// resumes bit-identically, a diverging loss stops with advice.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MnistSampleSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-mnist-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> BadOutputs => new()
    {
        { "--save", "/nonexistent-mininet-dir/model.safetensors" },
        { "--plot", "/nonexistent-mininet-dir/curve.png" },
        { "--checkpoint", "/nonexistent-mininet-dir/run.ckpt" },
        { "--save", "/proc/model.safetensors" },
        { "--plot", "/sys/curve.png" },
        { "--checkpoint", "/proc/self/status" },
        { "--save", "/dev/null" },
        { "--save", "/tmp" },
        { "--plot", "/" },
    };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public void BadOutputPath_FailsBeforeTraining_NamingOptionAndPath(string option, string path)
    {
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { option, path });

        exitCode.Should().Be(2);
        string first = error.Trim().Split('\n').Should().ContainSingle("one line, as the issue asks").Subject;
        first.Should().StartWith($"error: {option}: ").And.Contain($"'{path}'");
        error.Should().NotContain("write-check").And.NotContain(".tmp").And.NotContain("   at ");
        output.Should().NotContain("Data:", "nothing is loaded or trained");
    }

    [Fact]
    public void SaveWhoseCheckpointPathIsADirectory_FailsBeforeTraining()
    {
        // --save m.safetensors also writes m.checkpoint.safetensors (after every epoch and on Ctrl-C): checked up front too.
        string model = Path.Combine(_dir, "m.safetensors");
        Directory.CreateDirectory(Path.Combine(_dir, "m.checkpoint.safetensors"));
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--save", model, "--plot", Path.Combine(_dir, "p.png") });
        exitCode.Should().Be(2);
        error.Trim().Should().Be($"error: --save (its checkpoint): '{Path.Combine(_dir, "m.checkpoint.safetensors")}' is a directory; give a file name; try --help.");
        output.Should().NotContain("Data:");
    }

    [Fact]
    public void SaveAndCheckpointToOneFile_AreRefused()
    {
        string file = Path.Combine(_dir, "same.safetensors");
        var (exitCode, _, error) = SampleRunner.Mnist(new[] { "--save", file, "--checkpoint", file, "--plot", Path.Combine(_dir, "p.png") });
        exitCode.Should().Be(2);
        error.Trim().Should().Be($"error: --save and --checkpoint name the same file '{file}'; the model would overwrite the checkpoint; try --help.");
    }

    [Fact]
    public void HugeEpochCount_SaysTooLarge()
    {
        var (exitCode, _, error) = SampleRunner.Mnist(new[] { "--epochs", "99999999999" });
        exitCode.Should().Be(2);
        error.Trim().Should().Be("error: --epochs 99999999999 is too large (at most 2,147,483,647); try --help.");
    }

    [Fact]
    public void DivergingLoss_StopsWithAdviceForASmallerLearningRate()
    {
        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--lr", "1e38", "--train-size", "500", "--plot", Path.Combine(_dir, "p.png") });
        exitCode.Should().Be(1);
        error.Should().StartWith("error: the training loss became").And.Contain("epoch 1").And.Contain("try a smaller --lr");
        output.Should().NotContain("Training curves");
    }

    [Fact]
    public void CtrlC_SavesCheckpoint_AndResumeIsBitIdentical()
    {
        string[] common = { "--epochs", "2", "--hidden", "10", "--train-size", "1000", "--lambda", "1", "--seed", "3" };
        string full = Path.Combine(_dir, "full.safetensors"), resumed = Path.Combine(_dir, "resumed.safetensors");
        string checkpoint = Path.Combine(_dir, "run.ckpt"), plot = Path.Combine(_dir, "p.png");

        var (fullExit, fullOutput, fullError) = SampleRunner.Mnist([.. common, "--save", full, "--plot", plot]);
        fullExit.Should().Be(0, fullError);

        // Ctrl-C in the middle of epoch 2 (100 mini-batches per epoch): stop after batch 150.
        using var ctrlC = new CancellationTokenSource();
        var (stopExit, stopOutput, stopError) = SampleRunner.Mnist([.. common, "--checkpoint", checkpoint, "--plot", plot], ctrlC.Token, n =>
        {
            if (n == 150)
            {
                ctrlC.Cancel();
            }
        });
        stopExit.Should().Be(130, stopError);
        stopOutput.Should().Contain("Interrupted in epoch 2 after mini-batch 50 of 100").And.Contain($"--resume {checkpoint}");
        File.Exists(checkpoint).Should().BeTrue();

        var (resumeExit, resumeOutput, resumeError) = SampleRunner.Mnist([.. common, "--resume", checkpoint, "--save", resumed, "--plot", plot]);
        resumeExit.Should().Be(0, resumeError);
        resumeOutput.Should().Contain("Resumed from").And.Contain("1 epochs and 50 mini-batches done");
        SampleRunner.EpochRows(resumeOutput).Should().Equal(SampleRunner.EpochRows(fullOutput), "the resumed run reports the same epochs");

        ShouldBeBitIdentical(resumed, full);
    }

    [Theory]
    [InlineData(6, "epoch 2 after mini-batch 2 of 4")]
    [InlineData(4, "epoch 1 after mini-batch 4 of 4")]
    public void Cnn_CtrlCMidEpoch_ResumeIsBitIdentical_DropoutMasksIncluded(int stopAfter, string where)
    {
        // The CNN's dropout layers draw their masks from the generator that shuffles; a resumed run skips the batches
        // already trained without drawing masks for them, so it must restore the generator as it was after the last one.
        string data = Directory.CreateDirectory(Path.Combine(_dir, "data")).FullName;
        WriteRandomDigits(data, "train", 128, seed: 1);
        WriteRandomDigits(data, "t10k", 32, seed: 2);
        string[] common = { "--model", "cnn", "--data", data, "--epochs", "2", "--batch", "32", "--seed", "4", "--plot", Path.Combine(_dir, "p.png") };
        string full = Path.Combine(_dir, "full.safetensors"), resumed = Path.Combine(_dir, "resumed.safetensors");
        string checkpoint = Path.Combine(_dir, "cnn.ckpt");

        var (fullExit, _, fullError) = SampleRunner.Mnist([.. common, "--save", full]);
        fullExit.Should().Be(0, fullError);

        // Four mini-batches per epoch: stop in epoch 2 after its second, or after epoch 1's last before it is evaluated.
        using var ctrlC = new CancellationTokenSource();
        var (stopExit, stopOutput, stopError) = SampleRunner.Mnist([.. common, "--checkpoint", checkpoint], ctrlC.Token, n =>
        {
            if (n == stopAfter)
            {
                ctrlC.Cancel();
            }
        });
        stopExit.Should().Be(130, stopError);
        stopOutput.Should().Contain($"Interrupted in {where}");

        var (resumeExit, _, resumeError) = SampleRunner.Mnist([.. common, "--resume", checkpoint, "--save", resumed]);
        resumeExit.Should().Be(0, resumeError);
        ShouldBeBitIdentical(resumed, full);
    }

    [Fact]
    public void Resume_WithOtherTrainingOptions_NamesThem_AndTrainsNothing()
    {
        // A resumed run used the checkpoint's learning rate and a different data set size without a word.
        string checkpoint = Path.Combine(_dir, "run.ckpt"), plot = Path.Combine(_dir, "p.png");
        var (firstExit, _, firstError) = SampleRunner.Mnist(new[] { "--hidden", "10", "--train-size", "500", "--epochs", "1", "--checkpoint", checkpoint, "--plot", plot });
        firstExit.Should().Be(0, firstError);

        var (exitCode, output, error) = SampleRunner.Mnist(new[] { "--hidden", "10", "--train-size", "400", "--lr", "0.1", "--epochs", "2", "--resume", checkpoint, "--plot", plot });
        exitCode.Should().Be(1);
        error.Trim().Should().Be(
            $"error: --resume: '{checkpoint}' was trained with --lr 0.5 --train-size 500, but this run has --lr 0.1 --train-size 400; " +
            "resume with the same options (only --epochs, --save, --checkpoint, --plot and --monitor may change)");
        SampleRunner.EpochRows(output).Should().BeEmpty();

        var (sameExit, sameOutput, sameError) = SampleRunner.Mnist(new[] { "--hidden", "10", "--train-size", "500", "--epochs", "2", "--resume", checkpoint, "--plot", plot });
        sameExit.Should().Be(0, sameError);
        SampleRunner.EpochRows(sameOutput).Should().HaveCount(2);
    }

    [Fact]
    public void CtrlC_WithSaveOnly_WritesCheckpointBesideTheModel_AndNoModel()
    {
        string model = Path.Combine(_dir, "model.safetensors");
        using var ctrlC = new CancellationTokenSource();
        ctrlC.Cancel();
        var (exitCode, output, _) = SampleRunner.Mnist(new[] { "--train-size", "100", "--save", model, "--plot", Path.Combine(_dir, "p.png") }, ctrlC.Token);

        exitCode.Should().Be(130);
        string checkpoint = Path.Combine(_dir, "model.checkpoint.safetensors");
        output.Should().Contain("after mini-batch 1 of 10").And.Contain($"Checkpoint saved to {checkpoint}");
        File.Exists(checkpoint).Should().BeTrue();
        File.Exists(model).Should().BeFalse("an interrupted run saves a checkpoint, not a finished model");
    }

    [Fact]
    public void CtrlC_WithoutOutputs_SaysNothingWasSaved()
    {
        using var ctrlC = new CancellationTokenSource();
        ctrlC.Cancel();
        var (exitCode, output, _) = SampleRunner.Mnist(new[] { "--train-size", "100", "--plot", Path.Combine(_dir, "p.png") }, ctrlC.Token);
        exitCode.Should().Be(130);
        output.Should().Contain("Nothing was saved; give --checkpoint FILE");
    }
    private static void ShouldBeBitIdentical(string actualPath, string expectedPath)
    {
        var expected = SafeTensors.Load<float>(expectedPath);
        var actual = SafeTensors.Load<float>(actualPath);
        actual.Should().HaveCount(expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].Name.Should().Be(expected[i].Name);
            actual[i].Tensor.ToArray().Should().Equal(expected[i].Tensor.ToArray(), "parameter {0} continues bit-identically", expected[i].Name);
        }
    }

    /// <summary><paramref name="count"/> random 28x28 images with random labels, as raw IDX files of one split.</summary>
    private static void WriteRandomDigits(string directory, string set, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 28 * 28];
        var labels = new byte[count];
        random.NextBytes(pixels);
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(10);
        }

        File.WriteAllBytes(Path.Combine(directory, $"{set}-images-idx3-ubyte"), Data.IdxTests.IdxBytes(0x803, new[] { count, 28, 28 }, pixels));
        File.WriteAllBytes(Path.Combine(directory, $"{set}-labels-idx1-ubyte"), Data.IdxTests.IdxBytes(0x801, new[] { count }, labels));
    }
}
