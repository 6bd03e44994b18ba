using System;
using System.IO;
using System.Linq;
using System.Threading;
using MnistProgram = MiniNet.Samples.Mnist.Program;

namespace MiniNet.Tests.Samples;

/// <summary>Runs a sample's entry point in-process with its console captured.</summary>
internal static class SampleRunner
{
    public static (int ExitCode, string Output, string Error) Capture(Func<int> main)
    {
        TextWriter stdout = Console.Out, stderr = Console.Error;
        var output = new StringWriter();
        var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (main(), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    /// <summary>The MNIST sample, with a cancellation token standing in for Ctrl-C and a per-batch hook.</summary>
    public static (int ExitCode, string Output, string Error) Mnist(string[] args, CancellationToken token = default, Action<long>? batchCompleted = null) =>
        Capture(() => MnistProgram.Run(args, token, batchCompleted));

    /// <summary>The learning-slowdown sample (top-level statements: called through its entry point).</summary>
    public static (int ExitCode, string Output, string Error) LearningSlowdown(params string[] args) =>
        Capture(() => (int)typeof(MiniNet.LearningSlowdown.SlowdownExperiment).Assembly.EntryPoint!.Invoke(null, new object[] { args })!);

    /// <summary>The per-epoch rows without the timing columns (seconds, samples/s), which vary run to run.</summary>
    public static string[] EpochRows(string output) =>
        output.Split('\n').Where(l => l.Contains(" %")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => string.Join(' ', f.Take(f.Length - 2))).ToArray();
}
