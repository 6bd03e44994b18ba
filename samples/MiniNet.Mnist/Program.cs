using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using MiniNet.Data;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;

namespace MiniNet.Samples.Mnist;

/// <summary>Trains Nielsen's [784, 100, 10] network on MNIST-style data with MiniNet (see <see cref="Options.Usage"/>).</summary>
internal static class Program
{
    internal static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        try
        {
            return Run(options);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int Run(Options options)
    {
        string dataDirectory = options.DataDirectory ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist");
        var load = Stopwatch.StartNew();
        MnistDataset data = MnistDataset.Load(dataDirectory);
        int features = data.Rows * data.Columns;
        Console.WriteLine($"Data: {dataDirectory}: {data.TrainLabels.Length:N0} training and {data.TestLabels.Length:N0} test images of {data.Rows}x{data.Columns} ({load.Elapsed.TotalSeconds:F1} s)");

        var rng = new Rng(options.Seed);
        Sequential network = Network.Create(features, options.Hidden, data.Classes, rng);
        if (options.LoadPath is not null)
        {
            network.Load(options.LoadPath);
            Console.WriteLine($"Loaded parameters from {options.LoadPath}");
        }

        Optimizer<float> optimizer = options.Optimizer == OptimizerKind.Adam
            ? new Adam(network.Parameters(), options.LearningRate)
            : new Sgd(network.Parameters(), options.LearningRate, weightDecay: Sgd.NielsenL2(options.Lambda, data.TrainLabels.Length));
        Console.WriteLine(
            $"Network: [{features}, {options.Hidden}, {data.Classes}] sigmoid hidden layer, loss {Network.Describe(options.Loss)}, " +
            $"{options.Optimizer.ToString().ToLowerInvariant()} eta={options.LearningRate}, lambda={options.Lambda}, batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}");

        Tensor<float> targets = Labels.OneHot(data.TrainLabels, data.Classes);
        var loader = new DataLoader<float>(data.TrainImages, targets, options.BatchSize, shuffle: rng, labels: data.TrainLabels);
        int[] testLabels = Labels.ToInt32(data.TestLabels);
        var history = new List<EpochResult>();
        Console.WriteLine($"{"epoch",5} {"train loss",11} {"test acc",9} {"seconds",8} {"samples/s",10}");
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            EpochResult result = TrainEpoch(network, optimizer, loader, options.Loss, epoch);
            result = result with { TestAccuracy = Network.Accuracy(network, data.TestImages, testLabels) };
            history.Add(result);
            Console.WriteLine($"{epoch,5} {result.TrainLoss,11:F5} {result.TestAccuracy,8:P2} {result.Seconds,8:F2} {result.SamplesPerSecond,10:N0}");
        }

        if (options.SavePath is not null)
        {
            network.Save(options.SavePath);
            Console.WriteLine($"Saved parameters to {options.SavePath}");
        }

        TrainingPlot.Save(options.PlotPath, history, options.Loss.ToString().ToLowerInvariant());
        Console.WriteLine($"Training curves: {Path.GetFullPath(options.PlotPath)}");
        return 0;
    }

    private static EpochResult TrainEpoch(Sequential network, Optimizer<float> optimizer, DataLoader<float> loader, LossKind loss, int epoch)
    {
        var progress = new ProgressBar($"epoch {epoch}", loader.ExampleCount);
        var watch = Stopwatch.StartNew();
        double lossSum = 0;
        int seen = 0;
        network.Train();

        // Activations are pooled across steps; only the loss is read after Backward().
        using (Autograd.RecycleIntermediates())
        {
            foreach (Batch<float> batch in loader)
            {
                optimizer.ZeroGrad();
                Tensor<float> cost = Network.Loss(network.Forward(batch.Inputs), batch, loss);
                cost.Backward();
                optimizer.Step();
                lossSum += cost.Item() * batch.Size;
                seen += batch.Size;
                progress.Report(seen, lossSum / seen);
            }
        }

        progress.Clear();
        double seconds = watch.Elapsed.TotalSeconds;
        return new EpochResult(epoch, lossSum / seen, 0, seconds, seen / seconds);
    }
}

/// <summary>One epoch's figures.</summary>
internal sealed record EpochResult(int Epoch, double TrainLoss, double TestAccuracy, double Seconds, double SamplesPerSecond);
