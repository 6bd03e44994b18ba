using System;
using System.IO;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Samples;

/// <summary>The learning-slowdown sample's command line: its figure, and one clear line for every bad <c>--out</c>.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LearningSlowdownProgramTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-slowdown-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesThePng()
    {
        string outDir = Path.Combine(_dir, "new");
        var (exitCode, output, error) = SampleRunner.LearningSlowdown("--out", outDir);
        exitCode.Should().Be(0, error);
        output.Should().Contain("First epoch with a < 0.5");
        byte[] png = File.ReadAllBytes(Path.Combine(outDir, "learning-slowdown.png"));
        png[..4].Should().Equal(0x89, 0x50, 0x4E, 0x47);
        png.Length.Should().BeGreaterThan(20_000, "two panels with four curves, axes and text");
    }

    [Theory]
    [InlineData("/etc/hostname", "is a file, not a directory")]
    [InlineData("/proc", "is under /proc")]
    [InlineData("/sys", "is under /sys")]
    [InlineData("/sys/kernel", "is under /sys")]
    [InlineData("/nonexistent-mininet/a/b", "does not exist, nor does its parent")]
    public void BadOut_OneLine_ExitCode2(string path, string reason)
    {
        var (exitCode, _, error) = SampleRunner.LearningSlowdown("--out", path);
        exitCode.Should().Be(2);
        error.Trim().Split('\n').Should().HaveCount(1);
        error.Should().StartWith($"error: --out: '{path}' ").And.Contain(reason).And.NotContain("   at ");
    }

    [Fact]
    public void OutWithoutValue_SaysItNeedsOne()
    {
        var (exitCode, _, error) = SampleRunner.LearningSlowdown("--out");
        exitCode.Should().Be(2);
        error.Should().StartWith("error: option --out needs a value");
    }
}
