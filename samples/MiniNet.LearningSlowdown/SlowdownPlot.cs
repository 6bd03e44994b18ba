using System.Collections.Generic;
using ScottPlot;

namespace MiniNet.LearningSlowdown;

/// <summary>The experiment's figure: cost per epoch beside output per epoch for every run, drawn with ScottPlot.</summary>
internal static class SlowdownPlot
{
    /// <summary>Writes the two panels side by side to <paramref name="path"/> (1500x560 PNG).</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="runs">Each run's name, colour (hex) and cost and output per epoch, epoch 0 first.</param>
    public static void Save(string path, IReadOnlyList<(string Name, string Color, double[] Cost, double[] Output)> runs)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Plot cost = multiplot.GetPlot(0), output = multiplot.GetPlot(1);
        double highest = 0;
        foreach ((string name, string color, double[] costs, double[] outputs) in runs)
        {
            double[] epochs = Generate.Consecutive(costs.Length);
            foreach (double value in costs)
            {
                highest = System.Math.Max(highest, value);
            }

            var c = cost.Add.ScatterLine(epochs, costs, Color.FromHex(color));
            c.LegendText = name;
            c.LineWidth = 2;
            var o = output.Add.ScatterLine(epochs, outputs, Color.FromHex(color));
            o.LineWidth = 2;
        }

        cost.Title("Cost per epoch");
        cost.XLabel("epoch");
        cost.YLabel("cost C");
        cost.Axes.SetLimitsY(0, highest * 1.05);
        cost.ShowLegend(Alignment.UpperRight);
        output.Title("Output a = sigma(wx + b), same runs");
        output.XLabel("epoch");
        output.YLabel("output a (target 0)");
        output.Axes.SetLimitsY(0, 1);
        multiplot.SavePng(path, 1500, 560);
    }
}
