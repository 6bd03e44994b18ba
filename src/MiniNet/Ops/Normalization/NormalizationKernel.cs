using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// The statistics shared by batch and layer normalisation. Data is viewed as <c>[outer, groups, inner]</c> and each
/// group <c>c</c> (a channel for batch norm, a row for layer norm with <c>outer = 1</c>) is normalised over its
/// <c>outer * inner</c> elements. Sums run in double for both element types, two-pass (mean, then squared
/// deviations), so a constant group gives variance exactly 0 and large offsets do not cancel.
/// </summary>
internal readonly struct NormalizationLayout
{
    public NormalizationLayout(int outer, int groups, int inner) => (Outer, Groups, Inner) = (outer, groups, inner);

    public int Outer { get; }

    public int Groups { get; }

    public int Inner { get; }

    /// <summary>Elements per group, <c>m = outer * inner</c>.</summary>
    public int Count => Outer * Inner;

    /// <summary>Offset of the <paramref name="n"/>-th contiguous chunk (of <see cref="Inner"/> elements) of group <paramref name="c"/>.</summary>
    public int Chunk(int n, int c) => ((n * Groups) + c) * Inner;

    /// <summary>Mean and biased variance <c>sum (x - mean)^2 / m</c> of group <paramref name="c"/>.</summary>
    public (double Mean, double Variance) Moments<T>(ReadOnlySpan<T> x, int c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int n = 0; n < Outer; n++)
        {
            foreach (T v in x.Slice(Chunk(n, c), Inner))
            {
                sum += double.CreateTruncating(v);
            }
        }

        double mean = sum / Count, squares = 0;
        for (int n = 0; n < Outer; n++)
        {
            foreach (T v in x.Slice(Chunk(n, c), Inner))
            {
                double d = double.CreateTruncating(v) - mean;
                squares += d * d;
            }
        }

        return (mean, squares / Count);
    }

    /// <summary>
    /// <c>y = (x - mean) * scale + shift</c> over group <paramref name="c"/> (batch norm: <c>scale = w * invstd</c>, <c>shift = b</c>).
    /// </summary>
    public void Affine<T>(ReadOnlySpan<T> x, Span<T> y, int c, double mean, double scale, double shift)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int n = 0; n < Outer; n++)
        {
            int start = Chunk(n, c);
            for (int i = start; i < start + Inner; i++)
            {
                y[i] = T.CreateTruncating(((double.CreateTruncating(x[i]) - mean) * scale) + shift);
            }
        }
    }

    /// <summary>
    /// Over group <paramref name="c"/>: <c>sum g</c> and <c>sum g * xhat</c>, with <c>xhat = (x - mean) * invstd</c> and
    /// <c>g = gradOutput * gain</c> (for layer norm <paramref name="gain"/> is the per-position weight; empty for 1).
    /// </summary>
    public (double SumG, double SumGXhat) GradSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> gain, int c, double mean, double invstd)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double sumG = 0, sumGXhat = 0;
        for (int n = 0; n < Outer; n++)
        {
            int start = Chunk(n, c);
            for (int i = 0; i < Inner; i++)
            {
                double g = double.CreateTruncating(gradOutput[start + i]) * (gain.IsEmpty ? 1 : double.CreateTruncating(gain[i]));
                sumG += g;
                sumGXhat += g * (double.CreateTruncating(x[start + i]) - mean) * invstd;
            }
        }

        return (sumG, sumGXhat);
    }

    /// <summary>
    /// The input gradient of a normalisation over group <paramref name="c"/>, given <c>g = gradOutput * gain * factor</c>:
    /// with batch statistics <c>dx = invstd * (g - sum(g)/m - xhat * sum(g xhat)/m)</c>; with fixed statistics
    /// (<paramref name="sumG"/> and <paramref name="sumGXhat"/> zero) <c>dx = invstd * g</c>. Adds into <paramref name="grad"/> when <paramref name="accumulate"/>.
    /// </summary>
    public void InputGrad<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> gain, double factor, Span<T> grad, bool accumulate,
        int c, double mean, double invstd, double sumG, double sumGXhat)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double meanG = sumG / Count, meanGXhat = sumGXhat / Count;
        for (int n = 0; n < Outer; n++)
        {
            int start = Chunk(n, c);
            for (int i = 0; i < Inner; i++)
            {
                double g = double.CreateTruncating(gradOutput[start + i]) * factor * (gain.IsEmpty ? 1 : double.CreateTruncating(gain[i]));
                double xhat = (double.CreateTruncating(x[start + i]) - mean) * invstd;
                T value = T.CreateTruncating(invstd * (g - meanG - (xhat * meanGXhat)));
                grad[start + i] = accumulate ? grad[start + i] + value : value;
            }
        }
    }
}
