using System;
using System.Collections.Generic;
using System.IO;

namespace MiniNet.Plotting;

/// <summary>Where a chart's legend box sits inside the plot area.</summary>
public enum LegendPosition
{
    /// <summary>Upper right corner.</summary>
    TopRight,

    /// <summary>Upper left corner.</summary>
    TopLeft,

    /// <summary>Lower right corner.</summary>
    BottomRight,

    /// <summary>Lower left corner.</summary>
    BottomLeft,
}

/// <summary>One named line: its points (copied on creation) and colour.</summary>
public sealed class Series
{
    internal Series(string name, double[] x, double[] y, Rgba color)
    {
        Name = name;
        X = (double[])x.Clone();
        Y = (double[])y.Clone();
        Color = color;
    }

    /// <summary>The legend label.</summary>
    public string Name { get; }

    /// <summary>The x coordinates, in data units.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y coordinates, in data units; a NaN breaks the line.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>The stroke colour.</summary>
    public Rgba Color { get; }
}

/// <summary>
/// A line chart: title, axis labels, any number of named series with a legend, linear axes with "nice" ticks.
/// Render it alone with <see cref="SavePng"/> / <see cref="SaveSvg"/>, or as a panel of a <see cref="Figure"/>.
/// </summary>
/// <param name="title">Drawn centred above the plot.</param>
/// <param name="xLabel">Drawn under the x axis.</param>
/// <param name="yLabel">Drawn rotated left of the y axis.</param>
public sealed class LineChart(string title, string xLabel, string yLabel)
{
    private readonly List<Series> _series = new();

    /// <summary>The title.</summary>
    public string Title { get; } = title ?? throw new ArgumentNullException(nameof(title));

    /// <summary>The x-axis label.</summary>
    public string XLabel { get; } = xLabel ?? throw new ArgumentNullException(nameof(xLabel));

    /// <summary>The y-axis label.</summary>
    public string YLabel { get; } = yLabel ?? throw new ArgumentNullException(nameof(yLabel));

    /// <summary>The series in the order they were added (and drawn, and listed in the legend).</summary>
    public IReadOnlyList<Series> Series => _series;

    /// <summary>Fixes the lower end of the y axis (by default: the data minimum, rounded down to a tick).</summary>
    public double? YMin { get; set; }

    /// <summary>Fixes the upper end of the y axis (by default: the data maximum, rounded up to a tick).</summary>
    public double? YMax { get; set; }

    /// <summary>Fixes the lower end of the x axis.</summary>
    public double? XMin { get; set; }

    /// <summary>Fixes the upper end of the x axis.</summary>
    public double? XMax { get; set; }

    /// <summary>The legend's corner; pick one the curves leave empty.</summary>
    public LegendPosition Legend { get; set; } = LegendPosition.TopRight;

    /// <summary>Whether to draw the legend (turn it off when another panel already names the same series).</summary>
    public bool ShowLegend { get; set; } = true;

    /// <summary>Stroke width of the series in pixels.</summary>
    public double LineWidth { get; set; } = 2.5;

    /// <summary>Adds a series; its colour defaults to the next one of <see cref="Rgba.Palette"/>.</summary>
    /// <param name="name">The legend label.</param>
    /// <param name="x">The x coordinates.</param>
    /// <param name="y">The y coordinates, as many as <paramref name="x"/>.</param>
    /// <param name="color">The colour, or null for the palette's next.</param>
    /// <returns>This chart, for chaining.</returns>
    /// <exception cref="ArgumentException">The arrays differ in length or are empty.</exception>
    public LineChart AddSeries(string name, double[] x, double[] y, Rgba? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length || x.Length == 0)
        {
            throw new ArgumentException($"AddSeries '{name}': {x.Length} x values and {y.Length} y values; need the same non-zero count.");
        }

        _series.Add(new Series(name, x, y, color ?? Rgba.Palette(_series.Count)));
        return this;
    }

    /// <summary>Renders the chart alone as a PNG file.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public void SavePng(string path, int width = 800, int height = 500) => File.WriteAllBytes(path, ToPng(width, height));

    /// <summary>Renders the chart alone as PNG bytes.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <returns>The PNG file contents.</returns>
    public byte[] ToPng(int width = 800, int height = 500) => new Figure(this).ToPng(width, height);

    /// <summary>Renders the chart alone as an SVG file.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Width in SVG user units (pixels).</param>
    /// <param name="height">Height in SVG user units.</param>
    public void SaveSvg(string path, int width = 800, int height = 500) => File.WriteAllText(path, ToSvg(width, height));

    /// <summary>Renders the chart alone as SVG text.</summary>
    /// <param name="width">Width in SVG user units (pixels).</param>
    /// <param name="height">Height in SVG user units.</param>
    /// <returns>The SVG document.</returns>
    public string ToSvg(int width = 800, int height = 500) => new Figure(this).ToSvg(width, height);
}
