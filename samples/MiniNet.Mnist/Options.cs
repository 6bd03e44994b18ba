using System;
using System.Globalization;
using System.IO;
using MiniNet.NN;

namespace MiniNet.Samples.Mnist;

/// <summary>The sample's command line, parsed and validated.</summary>
internal sealed record Options
{
    /// <summary>Where Debian's dataset-fashion-mnist installs the four files (settable so tests can point it elsewhere).</summary>
    public static string FashionDirectory { get; set; } = DefaultFashionDirectory;

    public const string DefaultFashionDirectory = "/usr/share/datasets/fashion-mnist";

    public string? DataDirectory { get; init; }

    public DatasetKind Dataset { get; init; } = DatasetKind.Mnist;

    public ModelKind Model { get; init; } = ModelKind.Mlp;

    public int Hidden { get; init; } = 100;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 10;

    public double LearningRate { get; init; } = 0.5;

    public double Lambda { get; init; }

    /// <summary>StepLR's gamma: the learning rate is multiplied by it after every epoch (1: constant).</summary>
    public double LrGamma { get; init; } = 1;

    public LossKind Loss { get; init; } = LossKind.Bce;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public InitKind Init { get; init; } = InitKind.Nielsen;

    public ulong Seed { get; init; } = 1;

    public bool Validation { get; init; }

    public bool Monitor { get; init; }

    public int? TrainSize { get; init; }

    public Preset? Preset { get; init; }

    public string? SavePath { get; init; }

    public string? LoadPath { get; init; }

    public string? CheckpointPath { get; init; }

    public string? ResumePath { get; init; }

    public string? PlotPath { get; init; }

    public bool ShowHelp { get; init; }

    public InitScheme InitScheme => Init switch
    {
        InitKind.Large => InitScheme.NielsenLarge,
        InitKind.Xavier => InitScheme.XavierUniform,
        InitKind.Kaiming => InitScheme.KaimingUniform,
        InitKind.Pytorch => InitScheme.PyTorchDefault,
        _ => InitScheme.Nielsen,
    };

    /// <summary>"test" or "validation": the set evaluated after each epoch.</summary>
    public string EvaluationName => Validation ? "validation" : "test";

    public const string Usage = """
        Usage: dotnet run --project samples/MiniNet.Mnist -c Release -- [options]

        Trains Nielsen's [784, hidden, 10] sigmoid network on MNIST-style IDX data with MiniNet.

          --data DIR        directory with train-/t10k- images and labels IDX files (raw or .gz);
                            default: the full MNIST shipped in samples/data/mnist (60,000 + 10,000)
          --dataset mnist|fashion
                            mnist (default) or Fashion-MNIST from /usr/share/datasets/fashion-mnist (install it with
                            sh samples/data/fashion-mnist/install.sh); also picks the CNN's input normalisation
          --model mlp|cnn   the network (default mlp). cnn is PyTorch's examples/mnist convnet and changes the
                            defaults to its settings: --optimizer adadelta --lr 1.0 --lr-gamma 0.7 --loss ce
                            --batch 64 --init pytorch --epochs 5
          --hidden N        hidden neurons of the mlp (default 100)
          --epochs N        training epochs (default 10)
          --batch N         mini-batch size (default 10)
          --lr X            learning rate eta (default 0.5; try 0.001 with --optimizer adam)
          --lambda X        L2 regularisation, Nielsen's w <- (1 - eta*lambda/n) w (default 0)
          --loss bce|ce|mse cost: fused sigmoid+binary cross-entropy (default), softmax cross-entropy, quadratic
          --optimizer sgd|adam|adadelta                           (default sgd)
          --lr-gamma X      StepLR: multiply the learning rate by X after every epoch (default 1: constant)
          --init nielsen|large|xavier|kaiming|pytorch
                            weights N(0,1/n_in) (default), N(0,1) (chapter 1), Glorot, He, PyTorch's default
          --seed N          seed for initial weights and shuffling (default 1)
          --validation      train on the first 50,000 training images, evaluate on the last 10,000 (Nielsen's split)
          --train-size N    train on the first N training images only (Nielsen's overfitting runs use 1000)
          --monitor         per epoch: training cost and accuracy over the whole training set, evaluation cost
                            (with the L2 term) and accuracy, as network2.py's four monitor flags
          --preset NAME     one of Nielsen's runs: ch1-quadratic-30, ch3-cross-entropy-30, ch3-cross-entropy-100,
                            ch3-l2-30, ch3-l2-100, ch3-init-compare (prints the book's figure beside MiniNet's;
                            later options override the preset's)
          --save FILE       save the trained parameters (safetensors); without --checkpoint, training checkpoints
                            go beside it (FILE with the extension .checkpoint.safetensors)
          --load FILE       start from parameters saved with --save
          --checkpoint FILE write a training checkpoint after every epoch and on Ctrl-C
          --resume FILE     continue a run from a checkpoint, bit-identically; the training options must be the
                            same (only --epochs, --save, --checkpoint, --plot and --monitor may change)
          --plot FILE       training-curve PNG (default mnist-training.png, or PRESET.png)
          --help            show this text

        Ctrl-C stops after the current mini-batch (saving a checkpoint when --checkpoint or --save is given); exit 130.
        """;

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a one-line message on bad input.</summary>
    public static Options Parse(string[] args)
    {
        // A preset is the base; every other option, wherever it stands, overrides it.
        var o = new Options();
        int model = Array.IndexOf(args, "--model");
        if (model >= 0 && model + 1 < args.Length && args[model + 1].Equals("cnn", StringComparison.OrdinalIgnoreCase))
        {
            o = CnnDefaults;
        }

        int preset = Array.IndexOf(args, "--preset");
        if (preset >= 0 && preset + 1 < args.Length)
        {
            o = Presets.Find(args[preset + 1]).Apply(o);
        }

        var reader = new ArgumentReader(args);
        while (reader.MoveNext())
        {
            o = reader.Name switch
            {
                "--help" or "-h" => o with { ShowHelp = true },
                "--preset" => o with { Preset = Presets.Find(reader.Value()) },
                "--data" => o with { DataDirectory = reader.Value() },
                "--dataset" => o with { Dataset = reader.Choice<DatasetKind>() },
                "--model" => o with { Model = reader.Choice<ModelKind>() },
                "--hidden" => o with { Hidden = reader.PositiveInt() },
                "--epochs" => o with { Epochs = reader.PositiveInt() },
                "--batch" => o with { BatchSize = reader.PositiveInt() },
                "--lr" => o with { LearningRate = reader.PositiveDouble() },
                "--lambda" => o with { Lambda = reader.NonNegativeDouble() },
                "--lr-gamma" => o with { LrGamma = reader.PositiveDouble() },
                "--loss" => o with { Loss = reader.Choice<LossKind>() },
                "--optimizer" => o with { Optimizer = reader.Choice<OptimizerKind>() },
                "--init" => o with { Init = reader.Choice<InitKind>() },
                "--seed" => o with { Seed = reader.Seed() },
                "--validation" => o with { Validation = true },
                "--train-size" => o with { TrainSize = reader.PositiveInt() },
                "--monitor" => o with { Monitor = true },
                "--save" => o with { SavePath = reader.Value() },
                "--load" => o with { LoadPath = reader.Value() },
                "--checkpoint" => o with { CheckpointPath = reader.Value() },
                "--resume" => o with { ResumePath = reader.Value() },
                "--plot" => o with { PlotPath = reader.Value() },
                _ => throw reader.Unknown(),
            };
        }

        return o.ShowHelp ? o : o.Checked();
    }

    /// <summary>PyTorch's examples/mnist settings, the base of <c>--model cnn</c> (its 14 epochs cut to 5: it passes 99 % at epoch 4).</summary>
    private static Options CnnDefaults => new()
    {
        Model = ModelKind.Cnn,
        Optimizer = OptimizerKind.Adadelta,
        LearningRate = 1.0,
        LrGamma = 0.7,
        Loss = LossKind.Ce,
        BatchSize = 64,
        Init = InitKind.Pytorch,
        Epochs = 5,
    };

    /// <summary>
    /// The options that decide a run's trajectory, as (option, value) in a fixed order: a resumed run must repeat them
    /// (<c>--epochs</c>, the output paths and <c>--monitor</c> may change).
    /// </summary>
    public (string Option, string Value)[] Trajectory()
    {
        static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string N<TEnum>(TEnum v)
            where TEnum : struct, Enum => v.ToString().ToLowerInvariant();
        return
        [
            ("--model", N(Model)), ("--dataset", N(Dataset)), ("--hidden", Model == ModelKind.Mlp ? Hidden.ToString(CultureInfo.InvariantCulture) : "-"),
            ("--batch", BatchSize.ToString(CultureInfo.InvariantCulture)), ("--lr", D(LearningRate)), ("--lambda", D(Lambda)), ("--lr-gamma", D(LrGamma)),
            ("--loss", N(Loss)), ("--optimizer", N(Optimizer)), ("--init", N(Init)), ("--seed", Seed.ToString(CultureInfo.InvariantCulture)),
            ("--validation", Validation ? "on" : "off"), ("--train-size", TrainSize?.ToString(CultureInfo.InvariantCulture) ?? "all"),
        ];
    }

    /// <summary>Where training checkpoints go: --checkpoint, else beside --save (<c>m.checkpoint.safetensors</c>), else nowhere.</summary>
    public string? CheckpointFile => CheckpointPath ?? (SavePath is null ? null : Path.ChangeExtension(SavePath, ".checkpoint.safetensors"));

    /// <summary>The figure's path: --plot, else the preset's name, else mnist-training.png.</summary>
    public string PlotFile => PlotPath ?? (Preset is null ? "mnist-training.png" : Preset.Name + ".png");

    /// <summary>Checks input files exist and every output path is writable, before any data is loaded.</summary>
    private Options Checked()
    {
        if (DataDirectory is not null && !Directory.Exists(DataDirectory))
        {
            throw new FormatException($"--data: directory '{DataDirectory}' does not exist");
        }

        if (DataDirectory is null && Dataset == DatasetKind.Fashion && !Directory.Exists(FashionDirectory))
        {
            throw new FormatException(
                $"--dataset fashion: '{FashionDirectory}' does not exist; install it with 'sh samples/data/fashion-mnist/install.sh' " +
                "(apt-get install dataset-fashion-mnist) or give --data DIR");
        }

        foreach ((string option, string? path) in new[] { ("--load", LoadPath), ("--resume", ResumePath) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new FormatException($"{option}: file '{path}' does not exist");
            }
        }

        if (LoadPath is not null && ResumePath is not null)
        {
            throw new FormatException("--load and --resume exclude each other (a checkpoint holds the parameters)");
        }

        string? besideModel = CheckpointPath is null ? CheckpointFile : null;
        foreach ((string option, string? path) in new[] { ("--save", SavePath), ("--save (its checkpoint)", besideModel), ("--checkpoint", CheckpointPath), ("--plot", (string?)PlotFile) })
        {
            if (path is not null)
            {
                OutputPath.CheckFile(option, path);
            }
        }

        // After the checks above, which reject paths GetFullPath cannot take.
        if (SavePath is not null && CheckpointPath is not null && Path.GetFullPath(SavePath) == Path.GetFullPath(CheckpointPath))
        {
            throw new FormatException($"--save and --checkpoint name the same file '{SavePath}'; the model would overwrite the checkpoint");
        }

        return this;
    }
}
