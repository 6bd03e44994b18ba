using System;
using System.IO;

namespace MiniNet.Samples.Validation;

/// <summary>The sample's command line, parsed and validated.</summary>
internal sealed record Options
{
    public const string Usage = """
        Usage: dotnet run --project samples/MiniNet.Validation -c Release -- [options]

        Trains Nielsen's [784, hidden, 10] sigmoid network in MiniNet and in TorchSharp side by side, from the same
        initial weights on the same mini-batches, and prints how far the two drift apart.

          --data DIR          directory with train-/t10k- images and labels IDX files (raw or .gz);
                              default: the full MNIST shipped in samples/data/mnist (60,000 train / 10,000 test)
          --model mlp|cnn     the network (default mlp). cnn is PyTorch's examples/mnist convnet (conv 1->32,
                              conv 32->64, max-pool, dropout with masks drawn once and shared, linear 9216->128->10,
                              cross-entropy) and changes the defaults to --optimizer adadelta --batch 64 --steps 100
          --hidden N          hidden neurons of the mlp (default 30)
          --steps N           training steps, i.e. mini-batches (default 300; 100 for cnn)
          --batch N           mini-batch size (default 10; 64 for cnn)
          --lr X              learning rate (default 0.5 for sgd, 0.001 for adam, 1.0 for adadelta)
          --optimizer sgd|adam|adadelta                        (default sgd; adadelta for cnn)
          --double            run both sides in float64 instead of float32
          --seed N            seed for the initial weights and the batch order (default 1)
          --every K           print every K-th step (default 25; the first and last are always printed)
          --decisions         cnn only: per step, count the ReLU signs and max-pool argmaxes on which the two
                              forward passes differ (printed for every step with one, and every K-th)
          --help              show this text

        cnn in float32: a ReLU whose pre-activation is within rounding of 0 (|z| ~ 1e-7), or a max-pool window
        with a near-tie, can decide differently on the two sides; that routes a gradient elsewhere, Adadelta at lr
        1.0 takes a full-size step on it, and from then on the weights differ by far more than round-off (MNIST,
        seed 1: step 65, 5e-6 -> 1e-3; seed 2: 31, seed 3: 12, seed 4: 6). So in float32 the run watches for the
        first such flip and judges the weights as they stood before it (the final difference is still printed);
        float64 has none in 100 steps and is judged on the final weights.

        Exit code: 0 when the final weights (cnn in float32: those before the first decision flip) agree within the
        round-off bound, 1 when they do not, 2 on bad input.
        """;

    public string? DataDirectory { get; init; }

    public ModelKind Model { get; init; } = ModelKind.Mlp;

    public int Hidden { get; init; } = 30;

    public int Steps { get; init; } = 300;

    public int BatchSize { get; init; } = 10;

    public double? LearningRateOverride { get; init; }

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public bool Double { get; init; }

    public ulong Seed { get; init; } = 1;

    public int Every { get; init; } = 25;

    public bool Decisions { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>The learning rate: the one given, or Nielsen's 0.5 for SGD and Adam's customary 0.001.</summary>
    public double LearningRate => LearningRateOverride ?? Optimizer switch
    {
        OptimizerKind.Adam => 0.001,
        OptimizerKind.Adadelta => 1.0,
        _ => 0.5,
    };

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a one-line message on bad input.</summary>
    public static Options Parse(string[] args)
    {
        // --model cnn, wherever it stands, sets the CNN's defaults; the other options override them.
        int model = Array.IndexOf(args, "--model");
        var o = model >= 0 && model + 1 < args.Length && args[model + 1].Equals("cnn", StringComparison.OrdinalIgnoreCase)
            ? new Options { Model = ModelKind.Cnn, Optimizer = OptimizerKind.Adadelta, BatchSize = 64, Steps = 100, Every = 10 }
            : new Options();
        var reader = new ArgumentReader(args);
        while (reader.MoveNext())
        {
            o = reader.Name switch
            {
                "--help" or "-h" => o with { ShowHelp = true },
                "--data" => o with { DataDirectory = reader.Value() },
                "--model" => o with { Model = reader.Choice<ModelKind>() },
                "--hidden" => o with { Hidden = reader.PositiveInt() },
                "--steps" => o with { Steps = reader.PositiveInt() },
                "--batch" => o with { BatchSize = reader.PositiveInt() },
                "--lr" => o with { LearningRateOverride = reader.PositiveDouble() },
                "--optimizer" => o with { Optimizer = reader.Choice<OptimizerKind>() },
                "--double" => o with { Double = true },
                "--seed" => o with { Seed = reader.Seed() },
                "--every" => o with { Every = reader.PositiveInt() },
                "--decisions" => o with { Decisions = true },
                _ => throw reader.Unknown(),
            };
        }

        if (o.DataDirectory is not null && !Directory.Exists(o.DataDirectory))
        {
            throw new FormatException($"--data: directory '{o.DataDirectory}' does not exist");
        }

        return o;
    }
}
