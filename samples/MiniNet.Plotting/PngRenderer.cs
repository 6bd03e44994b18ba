using System;

namespace MiniNet.Plotting;

/// <summary>Draws one <see cref="ChartLayout"/> onto a <see cref="Canvas"/>.</summary>
internal static class PngRenderer
{
    public static readonly Rgba Ink = new(30, 30, 30);
    public static readonly Rgba Grid = new(225, 225, 225);
    public static readonly Rgba LegendBorder = new(170, 170, 170);

    public static void Draw(Canvas canvas, ChartLayout layout)
    {
        const int scale = ChartLayout.TextScale;
        int left = layout.PlotLeft, top = layout.PlotTop, width = layout.PlotWidth, height = layout.PlotHeight;
        int bottom = top + height;

        foreach (double tick in layout.XTicks)
        {
            int px = (int)Math.Round(layout.MapX(tick));
            canvas.FillRect(px, top, 1, height, Grid);
            canvas.FillRect(px, bottom, 1, ChartLayout.TickLength, Ink);
            string label = Ticks.Format(tick, layout.XDecimals);
            int labelX = px - (BitmapFont.MeasureWidth(label, scale) / 2);
            canvas.DrawText(labelX, bottom + ChartLayout.TickLength + 4, label, Ink, scale);
        }

        foreach (double tick in layout.YTicks)
        {
            int py = (int)Math.Round(layout.MapY(tick));
            canvas.FillRect(left, py, width, 1, Grid);
            canvas.FillRect(left - ChartLayout.TickLength, py, ChartLayout.TickLength, 1, Ink);
            string label = Ticks.Format(tick, layout.YDecimals);
            int labelX = left - ChartLayout.TickLength - 4 - BitmapFont.MeasureWidth(label, scale);
            canvas.DrawText(labelX, py - (ChartLayout.TextHeight / 2), label, Ink, scale);
        }

        var clip = (left, top, width + 1, height + 1);
        foreach (Series series in layout.Chart.Series)
        {
            var xs = new double[series.X.Count];
            var ys = new double[series.Y.Count];
            for (int i = 0; i < xs.Length; i++)
            {
                // Pixel centres sit at +0.5, so a data point on a grid line lands on that line's pixels.
                xs[i] = layout.MapX(series.X[i]) + 0.5;
                ys[i] = layout.MapY(series.Y[i]) + 0.5;
            }

            canvas.StrokePolyline(xs, ys, series.Color, layout.Chart.LineWidth, clip);
        }

        // The frame goes over the curves so a line along an axis does not hide it.
        canvas.FillRect(left, top, width + 1, 1, Ink);
        canvas.FillRect(left, bottom, width + 1, 1, Ink);
        canvas.FillRect(left, top, 1, height + 1, Ink);
        canvas.FillRect(left + width, top, 1, height + 1, Ink);

        canvas.DrawText(layout.TitleX, layout.TitleY, layout.Chart.Title, Ink, scale);
        canvas.DrawText(layout.XLabelX, layout.XLabelY, layout.Chart.XLabel, Ink, scale);
        canvas.DrawTextVertical(layout.YLabelX, layout.YLabelY, layout.Chart.YLabel, Ink, scale);
        DrawLegend(canvas, layout);
    }

    private static void DrawLegend(Canvas canvas, ChartLayout layout)
    {
        if (layout.Chart.Series.Count == 0 || !layout.Chart.ShowLegend)
        {
            return;
        }

        int x = layout.LegendX, y = layout.LegendY, w = layout.LegendWidth, h = layout.LegendHeight;
        canvas.FillRect(x, y, w, h, new Rgba(255, 255, 255, 235));
        canvas.FillRect(x, y, w, 1, LegendBorder);
        canvas.FillRect(x, y + h - 1, w, 1, LegendBorder);
        canvas.FillRect(x, y, 1, h, LegendBorder);
        canvas.FillRect(x + w - 1, y, 1, h, LegendBorder);
        for (int i = 0; i < layout.Chart.Series.Count; i++)
        {
            Series series = layout.Chart.Series[i];
            int rowTop = y + ChartLayout.Padding + (i * ChartLayout.LegendRowHeight);
            int swatchX = x + ChartLayout.Padding;
            canvas.FillRect(swatchX, rowTop + (ChartLayout.TextHeight / 2) - 2, ChartLayout.SwatchLength, 4, series.Color);
            canvas.DrawText(swatchX + ChartLayout.SwatchLength + 8, rowTop, series.Name, Ink, ChartLayout.TextScale);
        }
    }
}
