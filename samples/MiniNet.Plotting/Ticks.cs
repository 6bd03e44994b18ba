using System;
using System.Globalization;

namespace MiniNet.Plotting;

/// <summary>"Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, and an axis range that ends on ticks.</summary>
internal static class Ticks
{
    /// <summary>
    /// Chooses a step near <c>(max - min) / target</c> and widens [min, max] outward to whole steps.
    /// </summary>
    public static (double Min, double Max, double Step, int Decimals) Nice(double min, double max, int target)
    {
        if (!(max > min))
        {
            // A constant series: centre it in a unit-wide (or 10%-wide) window.
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }

        double rough = (max - min) / target;
        int exponent = (int)Math.Floor(Math.Log10(rough));
        double magnitude = Math.Pow(10, exponent);
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        double step = nice * magnitude;

        // Tolerate rounding so that 0.30000000000000004 / 0.1 does not add an empty step.
        double lo = Math.Floor((min / step) + 1e-9) * step;
        double hi = Math.Ceiling((max / step) - 1e-9) * step;
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return (lo, hi, step, decimals);
    }

    /// <summary>The tick values from <paramref name="min"/> to <paramref name="max"/> inclusive.</summary>
    public static double[] Values(double min, double max, double step)
    {
        int count = (int)Math.Round((max - min) / step) + 1;
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double v = min + (i * step);
            values[i] = Math.Abs(v) < step * 1e-9 ? 0 : v; // never print "-0"
        }

        return values;
    }

    /// <summary>Formats a tick label with a fixed number of decimals, culture-invariant.</summary>
    public static string Format(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
