using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using MiniNet.Data;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;

namespace MiniNet.Samples.Mnist;

/// <summary>Trains Nielsen's [784, 100, 10] network on MNIST-style data with MiniNet (see <see cref="Options.Usage"/>).</summary>
internal static class Program
{
    /// <summary>Exit code after Ctrl-C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    internal static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true; // the first Ctrl-C stops cleanly after the current mini-batch; a second one ends the process
                cancel.Cancel();
                Console.Error.WriteLine();
                Console.Error.WriteLine("Stopping after the current mini-batch (Ctrl-C again to quit at once)...");
            }
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            return Run(args, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>The whole program; <paramref name="token"/> is what Ctrl-C cancels, <paramref name="batchCompleted"/> a test hook.</summary>
    internal static int Run(string[] args, CancellationToken token, Action<long>? batchCompleted = null)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Options options;
        try
        {
            options = Options.Parse(args);
            if (options.Preset is { CompareInits: true } && (options.CheckpointPath ?? options.ResumePath) is not null)
            {
                throw new FormatException("--checkpoint and --resume do not apply to ch3-init-compare, which trains two networks");
            }
        }
        catch (FormatException e)
        {
            // One line, as the learning-slowdown sample: the usage text after it buried the error.
            Console.Error.WriteLine($"error: {e.Message}; try --help.");
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        try
        {
            return Run(options, args, token, batchCompleted);
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int Run(Options options, string[] args, CancellationToken token, Action<long>? batchCompleted)
    {
        Splits splits = Splits.Load(options);
        if (options.Preset is { } preset)
        {
            Console.WriteLine($"Preset {preset.Name}: {preset.Summary}");
        }

        var runs = options.Preset is { CompareInits: true }
            ? new[] { options with { Init = InitKind.Large }, options with { Init = InitKind.Nielsen } }
            : new[] { options };
        var histories = new List<(string Label, IReadOnlyList<EpochResult> History, double Seconds)>();
        foreach (Options run in runs)
        {
            var watch = Stopwatch.StartNew();
            (IReadOnlyList<EpochResult> history, bool interrupted) = Train(run, splits, args, token, batchCompleted);
            if (interrupted)
            {
                return Interrupted;
            }

            histories.Add(($"init {run.Init.ToString().ToLowerInvariant()}", history, watch.Elapsed.TotalSeconds));
        }

        if (options.SavePath is not null)
        {
            Console.WriteLine($"Saved parameters to {options.SavePath}");
        }

        if (options.Preset is { } p)
        {
            foreach ((string label, IReadOnlyList<EpochResult> history, double seconds) in histories)
            {
                Console.WriteLine($"Book:    {p.BookSays}");
                Console.WriteLine($"MiniNet: {Summary(history, splits.Evaluation.Name)}, {label}, {history.Count} epochs in {seconds:F1} s");
            }
        }

        if (options.Preset is { CompareInits: true })
        {
            TrainingPlot.SaveComparison(options.PlotFile, histories.ConvertAll(h => (h.Label, h.History)), splits.Evaluation.Name);
        }
        else
        {
            TrainingPlot.Save(options.PlotFile, histories[0].History, options.Loss.ToString().ToLowerInvariant(), splits.Evaluation.Name);
        }

        Console.WriteLine($"Training curves: {Path.GetFullPath(options.PlotFile)}");
        return 0;
    }

    private static (IReadOnlyList<EpochResult> History, bool Interrupted) Train(Options options, Splits splits, string[] args, CancellationToken token, Action<long>? batchCompleted)
    {
        var rng = new Rng(options.Seed);
        Sequential network = Network.Create(options, splits.Features, splits.Classes, rng);
        if (options.LoadPath is not null)
        {
            network.Load(options.LoadPath);
            Console.WriteLine($"Loaded parameters from {options.LoadPath}");
        }

        Optimizer<float> optimizer = options.Optimizer switch
        {
            OptimizerKind.Adam => new Adam(network.Parameters(), options.LearningRate),
            OptimizerKind.Adadelta => new Adadelta(network.Parameters(), options.LearningRate),
            _ => new Sgd(network.Parameters(), options.LearningRate, weightDecay: Sgd.NielsenL2(options.Lambda, splits.Train.Labels.Length)),
        };

        // Created before a resume, so its base rate is the option's, not the decayed rate the checkpoint holds.
        var schedule = new StepLR(optimizer, stepSize: 1, gamma: options.LrGamma);
        Console.WriteLine($"Network: {Network.Describe(options, splits.Features, splits.Classes)}");

        var loader = new DataLoader<float>(splits.Train.Images, splits.Train.Targets, options.BatchSize, shuffle: rng, labels: splits.TrainLabelBytes);
        string? checkpoint = options.CheckpointFile;
        var trainer = new Trainer(options, network, optimizer, schedule, loader, rng, checkpoint) { BatchCompleted = batchCompleted };
        TrainingPosition from = TrainingPosition.Start;
        if (options.ResumePath is not null)
        {
            from = trainer.Resume(options.ResumePath);
            Console.WriteLine($"Resumed from {options.ResumePath}: {from.CompletedEpochs} epochs and {from.Batches:N0} mini-batches done");
            if (from.CompletedEpochs >= options.Epochs)
            {
                throw new ArgumentException($"--resume: the checkpoint has already trained {from.CompletedEpochs} epochs; raise --epochs to train more");
            }
        }

        string eval = splits.Evaluation.Name;
        Console.WriteLine(options.Monitor
            ? $"{"epoch",5} {"train cost",11} {"train acc",9} {eval + " cost",11} {eval + " acc",9} {"seconds",8} {"samples/s",10}"
            : $"{"epoch",5} {"train loss",11} {eval + " loss",11} {eval + " acc",9} {"seconds",8} {"samples/s",10}");
        foreach (EpochResult done in from.History)
        {
            Print(done, options.Monitor);
        }

        (TrainingPosition position, bool interrupted) = trainer.Run(from, options.Monitor ? splits.Train : null, splits.Evaluation, e => Print(e, options.Monitor), token);
        if (interrupted)
        {
            Console.WriteLine($"Interrupted in epoch {position.CompletedEpochs + 1} after mini-batch {position.Batches:N0} of {loader.BatchCount:N0}.");
            Console.WriteLine(checkpoint is null
                ? "Nothing was saved; give --checkpoint FILE (or --save FILE) to be able to resume."
                : $"Checkpoint saved to {checkpoint}. Resume with the same options and --resume {checkpoint}:{Environment.NewLine}  dotnet run --project samples/MiniNet.Mnist -c Release -- {ResumeArguments(args, checkpoint)}");
            return (position.History, true);
        }

        if (options.SavePath is not null)
        {
            network.Save(options.SavePath);
        }

        return (position.History, false);
    }

    private static void Print(EpochResult e, bool monitor) => Console.WriteLine(monitor
        ? $"{e.Epoch,5} {e.TrainLoss,11:F5} {e.TrainAccuracy,8:P2} {e.EvalLoss,11:F5} {e.EvalAccuracy,8:P2} {e.Seconds,8:F2} {e.SamplesPerSecond,10:N0}"
        : $"{e.Epoch,5} {e.TrainLoss,11:F5} {e.EvalLoss,11:F5} {e.EvalAccuracy,8:P2} {e.Seconds,8:F2} {e.SamplesPerSecond,10:N0}");

    private static string Summary(IReadOnlyList<EpochResult> history, string set)
    {
        EpochResult best = history[0];
        foreach (EpochResult e in history)
        {
            best = e.EvalAccuracy > best.EvalAccuracy ? e : best;
        }

        return $"{100 * history[^1].EvalAccuracy:F2} % on the {set} data at the last epoch (best {100 * best.EvalAccuracy:F2} % at epoch {best.Epoch})";
    }

    /// <summary>The original arguments without --resume/--load, plus --resume FILE.</summary>
    private static string ResumeArguments(string[] args, string checkpoint)
    {
        var kept = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--resume" or "--load")
            {
                i++;
                continue;
            }

            kept.Add(args[i].Contains(' ') ? $"\"{args[i]}\"" : args[i]);
        }

        kept.Add("--resume");
        kept.Add(checkpoint.Contains(' ') ? $"\"{checkpoint}\"" : checkpoint);
        return string.Join(' ', kept);
    }
}
