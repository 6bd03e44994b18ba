using System;
using System.Globalization;
using System.IO;

namespace MiniNet.Samples.Mnist;

/// <summary>Which cost the sample trains with.</summary>
internal enum LossKind
{
    /// <summary>Sigmoid outputs with the fused binary cross-entropy (Nielsen's cross-entropy cost).</summary>
    Bce,

    /// <summary>Softmax outputs with the fused cross-entropy (log-softmax + NLL).</summary>
    Ce,

    /// <summary>Sigmoid outputs with the quadratic cost.</summary>
    Mse,
}

/// <summary>Which optimizer the sample uses.</summary>
internal enum OptimizerKind
{
    /// <summary>Plain mini-batch stochastic gradient descent.</summary>
    Sgd,

    /// <summary>Adam.</summary>
    Adam,
}

/// <summary>The sample's command line, parsed and validated.</summary>
internal sealed record Options
{
    public string? DataDirectory { get; init; }

    public int Hidden { get; init; } = 100;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 10;

    public double LearningRate { get; init; } = 0.5;

    public double Lambda { get; init; }

    public LossKind Loss { get; init; } = LossKind.Bce;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public ulong Seed { get; init; } = 1;

    public string? SavePath { get; init; }

    public string? LoadPath { get; init; }

    public string PlotPath { get; init; } = "mnist-training.png";

    public bool ShowHelp { get; init; }

    public const string Usage = """
        Usage: dotnet run --project samples/MiniNet.Mnist -c Release -- [options]

        Trains Nielsen's [784, hidden, 10] sigmoid network on MNIST-style IDX data with MiniNet.

          --data DIR        directory with train-/t10k- images and labels IDX files (raw or .gz);
                            default: the 10,000 real MNIST digits shipped in samples/data/mnist
          --hidden N        hidden neurons (default 100)
          --epochs N        training epochs (default 10)
          --batch N         mini-batch size (default 10)
          --lr X            learning rate eta (default 0.5; try 0.001 with --optimizer adam)
          --lambda X        L2 regularisation, Nielsen's w <- (1 - eta*lambda/n) w (default 0)
          --loss bce|ce|mse cost: fused sigmoid+binary cross-entropy (default), softmax cross-entropy, quadratic
          --optimizer sgd|adam                                    (default sgd)
          --seed N          seed for initial weights and shuffling (default 1)
          --save FILE       save the trained parameters (safetensors)
          --load FILE       start from parameters saved with --save
          --plot FILE       training-curve PNG (default mnist-training.png)
          --help            show this text
        """;

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
                "--epochs" => o with { Epochs = PositiveInt(name, Value()) },
                "--batch" => o with { BatchSize = PositiveInt(name, Value()) },
                "--lr" => o with { LearningRate = PositiveDouble(name, Value()) },
                "--lambda" => o with { Lambda = NonNegativeDouble(name, Value()) },
                "--loss" => o with { Loss = Choice<LossKind>(name, Value()) },
                "--optimizer" => o with { Optimizer = Choice<OptimizerKind>(name, Value()) },
                "--seed" => o with { Seed = ulong.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s : throw new FormatException($"{name} needs a non-negative integer") },
                "--save" => o with { SavePath = Value() },
                "--load" => o with { LoadPath = Value() },
                "--plot" => o with { PlotPath = Value() },
                _ => throw new FormatException($"unknown option '{name}'"),
            };
        }

        if (o.DataDirectory is not null && !Directory.Exists(o.DataDirectory))
        {
            throw new FormatException($"--data: directory '{o.DataDirectory}' does not exist");
        }

        if (o.LoadPath is not null && !File.Exists(o.LoadPath))
        {
            throw new FormatException($"--load: file '{o.LoadPath}' does not exist");
        }

        return o;
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new FormatException($"{name} needs a positive integer, got '{text}'");

    private static double PositiveDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v) ? v : throw new FormatException($"{name} needs a positive number, got '{text}'");

    private static double NonNegativeDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && double.IsFinite(v) ? v : throw new FormatException($"{name} needs a non-negative number, got '{text}'");

    private static TEnum Choice<TEnum>(string name, string text)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out TEnum v) && Enum.IsDefined(v) && !int.TryParse(text, out _)
            ? v
            : throw new FormatException($"{name} must be one of {string.Join('|', Enum.GetNames<TEnum>()).ToLowerInvariant()}, got '{text}'");
}
