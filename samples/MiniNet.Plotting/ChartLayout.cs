using System;

namespace MiniNet.Plotting;

/// <summary>
/// Everything both renderers need for one panel, in pixels: the plot rectangle, the axis ranges and ticks, where
/// every label and the legend go. PNG and SVG draw from the same layout, so they agree.
/// </summary>
internal sealed class ChartLayout
{
    public const int TextScale = 2;
    public const int TextHeight = BitmapFont.GlyphHeight * TextScale;
    /// <summary>From the top of a line of text to its baseline (the descender row hangs below).</summary>
    public const int Baseline = (BitmapFont.GlyphHeight - 1) * TextScale;
    public const int TickLength = 6;
    public const int Padding = 10;
    public const int SwatchLength = 28;
    public const int LegendRowHeight = TextHeight + 8;

    public ChartLayout(LineChart chart, int x, int y, int width, int height)
    {
        Chart = chart;
        (double dataXMin, double dataXMax) = DataRange(chart, useX: true);
        (double dataYMin, double dataYMax) = DataRange(chart, useX: false);
        (XMin, XMax, XStep, XDecimals) = Ticks.Nice(chart.XMin ?? dataXMin, chart.XMax ?? dataXMax, 6);
        (YMin, YMax, YStep, YDecimals) = Ticks.Nice(chart.YMin ?? dataYMin, chart.YMax ?? dataYMax, 6);
        XTicks = Ticks.Values(XMin, XMax, XStep);
        YTicks = Ticks.Values(YMin, YMax, YStep);

        int widestYTick = 0;
        foreach (double tick in YTicks)
        {
            widestYTick = Math.Max(widestYTick, BitmapFont.MeasureWidth(Ticks.Format(tick, YDecimals), TextScale));
        }

        PlotLeft = x + Padding + TextHeight + Padding + widestYTick + 4 + TickLength;
        PlotTop = y + Padding + TextHeight + (2 * Padding);
        int plotRight = x + width - (2 * Padding);
        int plotBottom = y + height - (Padding + TextHeight + Padding + TextHeight + 4 + TickLength);
        PlotWidth = Math.Max(plotRight - PlotLeft, 1);
        PlotHeight = Math.Max(plotBottom - PlotTop, 1);

        TitleX = x + ((width - BitmapFont.MeasureWidth(chart.Title, TextScale)) / 2);
        TitleY = y + Padding;
        XLabelX = PlotLeft + ((PlotWidth - BitmapFont.MeasureWidth(chart.XLabel, TextScale)) / 2);
        XLabelY = y + height - Padding - TextHeight;
        YLabelX = x + Padding;
        YLabelY = PlotTop + ((PlotHeight + BitmapFont.MeasureWidth(chart.YLabel, TextScale)) / 2);

        int widestName = 0;
        foreach (Series series in chart.Series)
        {
            widestName = Math.Max(widestName, BitmapFont.MeasureWidth(series.Name, TextScale));
        }

        LegendWidth = Padding + SwatchLength + 8 + widestName + Padding;
        LegendHeight = (chart.Series.Count * LegendRowHeight) - 8 + (2 * Padding);
        bool right = chart.Legend is LegendPosition.TopRight or LegendPosition.BottomRight;
        bool top = chart.Legend is LegendPosition.TopRight or LegendPosition.TopLeft;
        LegendX = right ? PlotLeft + PlotWidth - Padding - LegendWidth : PlotLeft + Padding;
        LegendY = top ? PlotTop + Padding : PlotTop + PlotHeight - Padding - LegendHeight;
    }

    public LineChart Chart { get; }

    public double XMin { get; }

    public double XMax { get; }

    public double XStep { get; }

    public int XDecimals { get; }

    public double YMin { get; }

    public double YMax { get; }

    public double YStep { get; }

    public int YDecimals { get; }

    public double[] XTicks { get; }

    public double[] YTicks { get; }

    public int PlotLeft { get; }

    public int PlotTop { get; }

    public int PlotWidth { get; }

    public int PlotHeight { get; }

    public int TitleX { get; }

    public int TitleY { get; }

    public int XLabelX { get; }

    public int XLabelY { get; }

    public int YLabelX { get; }

    public int YLabelY { get; }

    public int LegendX { get; }

    public int LegendY { get; }

    public int LegendWidth { get; }

    public int LegendHeight { get; }

    /// <summary>Pixel column of data x (continuous; NaN stays NaN).</summary>
    public double MapX(double value) => PlotLeft + ((value - XMin) / (XMax - XMin) * PlotWidth);

    /// <summary>Pixel row of data y, growing downward.</summary>
    public double MapY(double value) => PlotTop + PlotHeight - ((value - YMin) / (YMax - YMin) * PlotHeight);

    /// <summary>The finite extent of all series along one axis, or [0, 1] when there is none.</summary>
    private static (double Min, double Max) DataRange(LineChart chart, bool useX)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (Series series in chart.Series)
        {
            var values = useX ? series.X : series.Y;
            for (int i = 0; i < values.Count; i++)
            {
                if (double.IsFinite(values[i]))
                {
                    min = Math.Min(min, values[i]);
                    max = Math.Max(max, values[i]);
                }
            }
        }

        return min <= max ? (min, max) : (0, 1);
    }
}
