using System;
using System.IO;
using System.Text;

namespace MiniNet.Plotting;

/// <summary>One or more <see cref="LineChart"/> panels side by side, each with its own axes, title and legend.</summary>
public sealed class Figure
{
    private readonly LineChart[] _panels;

    /// <summary>Creates a figure from its panels, left to right.</summary>
    /// <param name="panels">One to four charts.</param>
    /// <exception cref="ArgumentException">No panels or more than four.</exception>
    public Figure(params LineChart[] panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Length is < 1 or > 4)
        {
            throw new ArgumentException($"A figure holds 1 to 4 panels, got {panels.Length}.", nameof(panels));
        }

        foreach (LineChart panel in panels)
        {
            ArgumentNullException.ThrowIfNull(panel, nameof(panels));
        }

        _panels = (LineChart[])panels.Clone();
    }

    /// <summary>Background colour of the whole figure.</summary>
    public Rgba Background { get; set; } = Rgba.White;

    /// <summary>Renders to an RGBA canvas.</summary>
    /// <param name="width">Total width in pixels (split evenly between the panels).</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The canvas.</returns>
    public Canvas Render(int width, int height)
    {
        var canvas = new Canvas(width, height, Background);
        for (int i = 0; i < _panels.Length; i++)
        {
            (int x, int panelWidth) = PanelColumns(i, width);
            PngRenderer.Draw(canvas, new ChartLayout(_panels[i], x, 0, panelWidth, height));
        }

        return canvas;
    }

    /// <summary>Renders to PNG bytes.</summary>
    /// <param name="width">Total width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The PNG file contents.</returns>
    public byte[] ToPng(int width, int height) => Render(width, height).ToPng();

    /// <summary>Renders to a PNG file.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Total width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public void SavePng(string path, int width, int height) => File.WriteAllBytes(path, ToPng(width, height));

    /// <summary>Renders to an SVG document with the same layout as the PNG.</summary>
    /// <param name="width">Total width in user units (pixels).</param>
    /// <param name="height">Height in user units.</param>
    /// <returns>The SVG text.</returns>
    public string ToSvg(int width, int height)
    {
        var svg = new StringBuilder();
        SvgRenderer.Begin(svg, width, height, Background);
        for (int i = 0; i < _panels.Length; i++)
        {
            (int x, int panelWidth) = PanelColumns(i, width);
            SvgRenderer.Draw(svg, new ChartLayout(_panels[i], x, 0, panelWidth, height), i);
        }

        SvgRenderer.End(svg);
        return svg.ToString();
    }

    /// <summary>Renders to an SVG file.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Total width in user units (pixels).</param>
    /// <param name="height">Height in user units.</param>
    public void SaveSvg(string path, int width, int height) => File.WriteAllText(path, ToSvg(width, height));

    private (int X, int Width) PanelColumns(int index, int width)
    {
        int left = index * width / _panels.Length;
        int right = (index + 1) * width / _panels.Length;
        return (left, right - left);
    }
}
