using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using FluentAssertions;
using MiniNet;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// Runs inside a child process started with <c>DOTNET_STARTUP_HOOKS</c> pointing at this test assembly: saves
/// training checkpoints in a loop, each with every parameter equal to its save number, until the parent kills it.
/// The runtime calls <see cref="Initialize"/> before Main; in the test host the variable is unset and nothing happens.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        string? path = Environment.GetEnvironmentVariable("MININET_KILL_TEST_CHECKPOINT");
        if (path is null)
        {
            return;
        }

        Sequential net = MiniNet.Tests.Reliability.KillDuringSaveTests.Net(1);
        var optimizer = new Sgd(net.Parameters(), 0.1);
        var deadline = Stopwatch.StartNew();
        for (int save = 1; deadline.Elapsed < TimeSpan.FromSeconds(60); save++)
        {
            foreach (Tensor<float> p in net.Parameters())
            {
                p.AsSpanForWrite().Fill(save);
            }

            TrainingCheckpoint.Save(path, net, optimizer, save, new Rng(1));
        }

        Environment.Exit(3);
    }
}

namespace MiniNet.Tests.Reliability
{
    /// <summary>
    /// A real crash: a child process saving checkpoints in a loop is killed (SIGKILL on Linux) at varying moments;
    /// the checkpoint left behind must always load completely and consistently (every value equal to its epoch).
    /// </summary>
    public sealed class KillDuringSaveTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("mininet-kill-").FullName;
        private readonly ITestOutputHelper _output;

        public KillDuringSaveTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        // About 1 MB per checkpoint, so a kill often lands in the middle of a write.
        internal static Sequential Net(ulong seed) => new(new Linear(500, 500, new Rng(seed)));

        [Fact]
        public void KilledWhileSaving_LeavesALoadableCheckpoint()
        {
            string assembly = typeof(KillDuringSaveTests).Assembly.Location;
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            string path = Path.Combine(_dir, "run.safetensors");
            var rng = new Rng(2024);
            int leftovers = 0;
            for (int round = 0; round < 4; round++)
            {
                var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add("exec");
                start.ArgumentList.Add(assembly);
                start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
                start.Environment["MININET_KILL_TEST_CHECKPOINT"] = path;
                using Process child = Process.Start(start)!;
                // Wait for this child's first save (the file may still hold the previous round's last one).
                DateTime previous = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
                var waited = Stopwatch.StartNew();
                while ((!File.Exists(path) || File.GetLastWriteTimeUtc(path) == previous) && !child.HasExited && waited.Elapsed < TimeSpan.FromSeconds(30))
                {
                    Thread.Sleep(5);
                }

                child.HasExited.Should().BeFalse($"the child should still be saving (stderr: {(child.HasExited ? child.StandardError.ReadToEnd() : string.Empty)})");
                int delay = rng.NextInt(100);
                Thread.Sleep(delay);
                child.Kill();
                child.WaitForExit();

                leftovers += Directory.GetFiles(_dir, "*.tmp").Length;
                Sequential fresh = Net(99);
                int epoch = TrainingCheckpoint.Load(path, fresh, new Sgd(fresh.Parameters(), 0.1), new Rng(5));
                epoch.Should().BePositive();
                foreach (Tensor<float> p in fresh.Parameters())
                {
                    p.ToArray().Should().OnlyContain(v => v == epoch, "a checkpoint is never a mix of two saves");
                }

                _output.WriteLine($"round {round}: killed {delay} ms after the first save; the file holds save {epoch}; temporary files left so far: {leftovers}");
            }

            // Leftover temporary files (from kills mid-write) do not disturb a later save.
            Sequential net = Net(3);
            TrainingCheckpoint.Save(path, net, new Sgd(net.Parameters(), 0.1), 77, new Rng(1));
            TrainingCheckpoint.Load(path, Net(4), new Sgd(Net(4).Parameters(), 0.1), new Rng(1)).Should().Be(77);
        }
    }
}
