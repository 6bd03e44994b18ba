using System;
using System.Globalization;
using System.IO;

namespace MiniNet.Samples.Validation;

/// <summary>Which optimizer both sides use.</summary>
internal enum OptimizerKind
{
    /// <summary>MiniNet <c>Sgd</c> vs <c>torch.optim.SGD</c>, plain (no momentum).</summary>
    Sgd,

    /// <summary>MiniNet <c>Adam</c> vs <c>torch.optim.Adam</c>, default betas and eps.</summary>
    Adam,
}

/// <summary>The sample's command line, parsed and validated.</summary>
internal sealed record Options
{
    public const string Usage = """
        Usage: dotnet run --project samples/MiniNet.Validation -c Release -- [options]

        Trains Nielsen's [784, hidden, 10] sigmoid network in MiniNet and in TorchSharp side by side, from the same
        initial weights on the same mini-batches, and prints how far the two drift apart.

          --data DIR          directory with train-/t10k- images and labels IDX files (raw or .gz);
                              default: the embedded MNIST subset (8,000 train / 2,000 test)
          --hidden N          hidden neurons (default 30)
          --steps N           training steps, i.e. mini-batches (default 300)
          --batch N           mini-batch size (default 10)
          --lr X              learning rate (default 0.5 for sgd, 0.001 for adam)
          --optimizer sgd|adam                                 (default sgd)
          --double            run both sides in float64 instead of float32
          --seed N            seed for the initial weights and the batch order (default 1)
          --every K           print every K-th step (default 25; the first and last are always printed)
          --help              show this text

        Exit code: 0 when the final weights agree within the round-off bound, 1 when they do not, 2 on bad input.
        """;

    public string? DataDirectory { get; init; }

    public int Hidden { get; init; } = 30;

    public int Steps { get; init; } = 300;

    public int BatchSize { get; init; } = 10;

    public double? LearningRateOverride { get; init; }

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public bool Double { get; init; }

    public ulong Seed { get; init; } = 1;

    public int Every { get; init; } = 25;

    public bool ShowHelp { get; init; }

    /// <summary>The learning rate: the one given, or Nielsen's 0.5 for SGD and Adam's customary 0.001.</summary>
    public double LearningRate => LearningRateOverride ?? (Optimizer == OptimizerKind.Adam ? 0.001 : 0.5);

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a one-line message on bad input.</summary>
    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value()
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"option {name} needs a value");
                }

                return args[++i];
            }

            o = name switch
            {
                "--help" or "-h" => o with { ShowHelp = true },
                "--data" => o with { DataDirectory = Value() },
                "--hidden" => o with { Hidden = PositiveInt(name, Value()) },
                "--steps" => o with { Steps = PositiveInt(name, Value()) },
                "--batch" => o with { BatchSize = PositiveInt(name, Value()) },
                "--lr" => o with { LearningRateOverride = PositiveDouble(name, Value()) },
                "--optimizer" => o with { Optimizer = OptimizerChoice(name, Value()) },
                "--double" => o with { Double = true },
                "--seed" => o with { Seed = ulong.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s : throw new FormatException($"{name} needs a non-negative integer") },
                "--every" => o with { Every = PositiveInt(name, Value()) },
                _ => throw new FormatException($"unknown option '{name}'"),
            };
        }

        if (o.DataDirectory is not null && !Directory.Exists(o.DataDirectory))
        {
            throw new FormatException($"--data: directory '{o.DataDirectory}' does not exist");
        }

        return o;
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new FormatException($"{name} needs a positive integer, got '{text}'");

    private static double PositiveDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v) ? v : throw new FormatException($"{name} needs a positive number, got '{text}'");

    private static OptimizerKind OptimizerChoice(string name, string text) => text.ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        _ => throw new FormatException($"{name} must be sgd or adam, got '{text}'"),
    };
}
