using System;
using System.Globalization;
using System.Text;

namespace MiniNet.Plotting;

/// <summary>Writes one <see cref="ChartLayout"/> as SVG elements, mirroring <see cref="PngRenderer"/>.</summary>
internal static class SvgRenderer
{
    // Monospace at 20 units advances about 12 units per character, the width of the 2x bitmap font.
    private const string Font = "font-family=\"monospace\" font-size=\"20\"";

    public static void Begin(StringBuilder svg, int width, int height, Rgba background)
    {
        svg.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        Append(svg, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"{background.ToHex()}\"/>\n");
    }

    public static void End(StringBuilder svg) => svg.Append("</svg>\n");

    public static void Draw(StringBuilder svg, ChartLayout layout, int panelIndex)
    {
        int left = layout.PlotLeft, top = layout.PlotTop, width = layout.PlotWidth, height = layout.PlotHeight;
        int bottom = top + height;
        string ink = PngRenderer.Ink.ToHex(), grid = PngRenderer.Grid.ToHex();
        Append(svg, $"<g id=\"panel{panelIndex}\">\n");
        Append(svg, $"<clipPath id=\"clip{panelIndex}\"><rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{height}\"/></clipPath>\n");

        foreach (double tick in layout.XTicks)
        {
            double px = Math.Round(layout.MapX(tick)) + 0.5;
            Append(svg, $"<line x1=\"{px}\" y1=\"{top}\" x2=\"{px}\" y2=\"{bottom}\" stroke=\"{grid}\"/>");
            Append(svg, $"<line x1=\"{px}\" y1=\"{bottom}\" x2=\"{px}\" y2=\"{bottom + ChartLayout.TickLength}\" stroke=\"{ink}\"/>");
            Text(svg, px, bottom + ChartLayout.TickLength + 4 + ChartLayout.Baseline, Ticks.Format(tick, layout.XDecimals), "middle", null);
        }

        foreach (double tick in layout.YTicks)
        {
            double py = Math.Round(layout.MapY(tick)) + 0.5;
            Append(svg, $"<line x1=\"{left}\" y1=\"{py}\" x2=\"{left + width}\" y2=\"{py}\" stroke=\"{grid}\"/>");
            Append(svg, $"<line x1=\"{left - ChartLayout.TickLength}\" y1=\"{py}\" x2=\"{left}\" y2=\"{py}\" stroke=\"{ink}\"/>");
            Text(svg, left - ChartLayout.TickLength - 4, py - (ChartLayout.TextHeight / 2) + ChartLayout.Baseline, Ticks.Format(tick, layout.YDecimals), "end", null);
        }

        foreach (Series series in layout.Chart.Series)
        {
            // A path rather than a polyline, so that a NaN can lift the pen: the next point starts with M again.
            Append(svg, $"<path clip-path=\"url(#clip{panelIndex})\" fill=\"none\" stroke=\"{series.Color.ToHex()}\" stroke-width=\"{layout.Chart.LineWidth}\" stroke-linejoin=\"round\" d=\"");
            char command = 'M';
            for (int i = 0; i < series.X.Count; i++)
            {
                double px = layout.MapX(series.X[i]), py = layout.MapY(series.Y[i]);
                if (double.IsFinite(px) && double.IsFinite(py))
                {
                    Append(svg, $"{command}{px:F2},{py:F2} ");
                    command = 'L';
                }
                else
                {
                    command = 'M';
                }
            }

            svg.Append("\"><title>").Append(Escape(series.Name)).Append("</title></path>\n");
        }

        Append(svg, $"<rect x=\"{left + 0.5}\" y=\"{top + 0.5}\" width=\"{width}\" height=\"{height}\" fill=\"none\" stroke=\"{ink}\"/>\n");
        Text(svg, layout.TitleX, layout.TitleY + ChartLayout.Baseline, layout.Chart.Title, "start", null);
        Text(svg, layout.XLabelX, layout.XLabelY + ChartLayout.Baseline, layout.Chart.XLabel, "start", null);
        int yLabelX = layout.YLabelX + ChartLayout.Baseline, yLabelY = layout.YLabelY;
        Text(svg, yLabelX, yLabelY, layout.Chart.YLabel, "start", $"rotate(-90 {yLabelX} {yLabelY})");
        DrawLegend(svg, layout);
        svg.Append("</g>\n");
    }

    private static void DrawLegend(StringBuilder svg, ChartLayout layout)
    {
        if (layout.Chart.Series.Count == 0 || !layout.Chart.ShowLegend)
        {
            return;
        }

        int x = layout.LegendX, y = layout.LegendY;
        Append(svg, $"<rect x=\"{x + 0.5}\" y=\"{y + 0.5}\" width=\"{layout.LegendWidth - 1}\" height=\"{layout.LegendHeight - 1}\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"{PngRenderer.LegendBorder.ToHex()}\"/>\n");
        for (int i = 0; i < layout.Chart.Series.Count; i++)
        {
            Series series = layout.Chart.Series[i];
            int rowTop = y + ChartLayout.Padding + (i * ChartLayout.LegendRowHeight);
            int swatchX = x + ChartLayout.Padding;
            Append(svg, $"<rect x=\"{swatchX}\" y=\"{rowTop + (ChartLayout.TextHeight / 2) - 2}\" width=\"{ChartLayout.SwatchLength}\" height=\"4\" fill=\"{series.Color.ToHex()}\"/>");
            Text(svg, swatchX + ChartLayout.SwatchLength + 8, rowTop + ChartLayout.Baseline, series.Name, "start", null);
        }
    }

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, string? transform)
    {
        Append(svg, $"<text x=\"{x}\" y=\"{y}\" {Font} fill=\"{PngRenderer.Ink.ToHex()}\" text-anchor=\"{anchor}\"");
        if (transform is not null)
        {
            Append(svg, $" transform=\"{transform}\"");
        }

        svg.Append('>').Append(Escape(text)).Append("</text>\n");
    }

    private static void Append(StringBuilder svg, FormattableString text) => svg.Append(text.ToString(CultureInfo.InvariantCulture));

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
