using System.Collections.Generic;
using System.IO;
using MiniNet.Plotting;

namespace MiniNet.Samples.Mnist;

/// <summary>Writes the training curves: loss per epoch and test accuracy per epoch, side by side.</summary>
internal static class TrainingPlot
{
    public static void Save(string path, IReadOnlyList<EpochResult> history, string lossName)
    {
        var epochs = new double[history.Count];
        var losses = new double[history.Count];
        var accuracies = new double[history.Count];
        for (int i = 0; i < history.Count; i++)
        {
            epochs[i] = history[i].Epoch;
            losses[i] = history[i].TrainLoss;
            accuracies[i] = 100 * history[i].TestAccuracy;
        }

        var loss = new LineChart("Training loss", "epoch", "loss");
        loss.AddSeries($"training ({lossName})", epochs, losses);
        var accuracy = new LineChart("Test accuracy", "epoch", "accuracy (%)");
        accuracy.AddSeries("test", epochs, accuracies);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        new Figure(loss, accuracy).SavePng(path, 1200, 480);
    }
}
