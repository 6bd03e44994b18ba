using System;
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
        var reader = new ArgumentReader(args);
        while (reader.MoveNext())
        {
            o = reader.Name switch
            {
                "--help" or "-h" => o with { ShowHelp = true },
                "--data" => o with { DataDirectory = reader.Value() },
                "--hidden" => o with { Hidden = reader.PositiveInt() },
                "--epochs" => o with { Epochs = reader.PositiveInt() },
                "--batch" => o with { BatchSize = reader.PositiveInt() },
                "--lr" => o with { LearningRate = reader.PositiveDouble() },
                "--lambda" => o with { Lambda = reader.NonNegativeDouble() },
                "--loss" => o with { Loss = reader.Choice<LossKind>() },
                "--optimizer" => o with { Optimizer = reader.Choice<OptimizerKind>() },
                "--seed" => o with { Seed = reader.Seed() },
                "--save" => o with { SavePath = reader.Value() },
                "--load" => o with { LoadPath = reader.Value() },
                "--plot" => o with { PlotPath = reader.Value() },
                _ => throw reader.Unknown(),
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
}
