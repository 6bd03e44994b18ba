using System.Collections.Generic;
using ScottPlot;

namespace MiniNet.Samples.Mnist;

/// <summary>The sample's figures, drawn with ScottPlot.</summary>
internal static class TrainingPlot
{
    private const int Width = 1200, Height = 480;

    /// <summary>Loss per epoch (training and evaluation) beside evaluation accuracy per epoch.</summary>
    public static void Save(string path, IReadOnlyList<EpochResult> history, string lossName, string evaluationName)
    {
        double[] epochs = Column(history, e => e.Epoch);
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot loss = multiplot.GetPlot(0);
        Line(loss, epochs, Column(history, e => e.TrainLoss), $"training ({lossName})", Colors.C0);
        Line(loss, epochs, Column(history, e => e.EvalLoss), $"{evaluationName} ({lossName})", Colors.C1);
        Label(loss, "Loss per epoch", "loss");
        loss.ShowLegend(Alignment.UpperRight);

        Plot accuracy = multiplot.GetPlot(1);
        Line(accuracy, epochs, Column(history, e => 100 * e.EvalAccuracy), evaluationName, Colors.C1);
        Label(accuracy, $"{Capitalised(evaluationName)} accuracy per epoch", "accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, Width, Height);
    }

    /// <summary>Evaluation accuracy per epoch of several runs in one panel (the chapter's initialisation figure).</summary>
    public static void SaveComparison(string path, IReadOnlyList<(string Label, IReadOnlyList<EpochResult> History)> runs, string evaluationName)
    {
        var plot = new Plot();
        for (int i = 0; i < runs.Count; i++)
        {
            IReadOnlyList<EpochResult> history = runs[i].History;
            Line(plot, Column(history, e => e.Epoch), Column(history, e => 100 * e.EvalAccuracy), runs[i].Label, i == 0 ? Colors.C3 : Colors.C0);
        }

        Label(plot, $"{Capitalised(evaluationName)} accuracy per epoch, by weight initialisation", "accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 800, 500);
    }

    private static void Line(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 5;
    }

    private static void Label(Plot plot, string title, string y)
    {
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(y);
    }

    private static string Capitalised(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static double[] Column(IReadOnlyList<EpochResult> history, System.Func<EpochResult, double> value)
    {
        var column = new double[history.Count];
        for (int i = 0; i < column.Length; i++)
        {
            column[i] = value(history[i]);
        }

        return column;
    }
}
