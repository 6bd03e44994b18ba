using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.Tests.Kernels;

/// <summary>One unary op under test: the public entry point for float and double, and its exact (double-double) value.</summary>
internal sealed record SweepOp(string Name, Func<Tensor<float>, Tensor<float>> Float, Func<Tensor<double>, Tensor<double>> Double, Func<double, Scaled> Reference)
{
    /// <summary>Extra ulps allowed at input x for a float (true) or double result, each use justified where the op is listed.</summary>
    public Func<double, bool, double>? Slack { get; init; }
}

/// <summary>A band of inputs: magnitudes log-uniform in <c>[|Low|, |High|]</c> (negative when both are), both signs when <see cref="Signed"/>.</summary>
internal sealed record SweepRange(string Name, double Low, double High, bool Signed);

/// <summary>The worst error seen in one op, type and range.</summary>
internal sealed record SweepResult(string Op, string Type, string Range, double MaxUlp, double WorstInput, bool Within = true);

/// <summary>
/// Runs an op over a range of inputs (997 log-uniform points plus both ends, an odd length so every vector width
/// also runs its tail) and reports the largest error in ulps of the type's format, against <see cref="AccuracyReference"/>.
/// Float inputs are the double inputs rounded to float (then measured exactly as floats).
/// </summary>
internal static class AccuracySweep
{
    public const int Points = 997;

    public static SweepResult Measure<T>(SweepOp op, SweepRange range)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] inputs = Inputs<T>(range);
        double[] outputs = Run(op, inputs);
        double worst = 0, worstInput = double.NaN;
        bool within = true;
        for (int i = 0; i < inputs.Length; i++)
        {
            double x = double.CreateTruncating(inputs[i]);
            double error = Ulps<T>(outputs[i], op.Reference(x));
            within &= error <= AccuracyTests.MaxUlp + (op.Slack?.Invoke(x, typeof(T) == typeof(float)) ?? 0);
            if (!(error <= worst))
            {
                worst = error;
                worstInput = x;
            }
        }

        return new SweepResult(op.Name, typeof(T) == typeof(float) ? "float" : "double", range.Name, worst, worstInput, within);
    }

    /// <summary>Error of one output in ulps of T's format (23 or 52 stored bits; smallest normal exponent -126 or -1022).</summary>
    public static double Ulps<T>(double computed, Scaled reference)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? AccuracyReference.UlpError(computed, reference, 23, -126)
            : AccuracyReference.UlpError(computed, reference, 52, -1022);

    public static double[] Run<T>(SweepOp op, T[] inputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new double[inputs.Length];
        if (typeof(T) == typeof(float))
        {
            float[] y = op.Float(Tensor.FromArray((float[])(object)inputs, inputs.Length)).ToArray();
            for (int i = 0; i < y.Length; i++)
            {
                result[i] = y[i];
            }
        }
        else
        {
            op.Double(Tensor.FromArray((double[])(object)inputs, inputs.Length)).ToArray().CopyTo(result, 0);
        }

        return result;
    }

    public static T[] Inputs<T>(SweepRange range)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(HashCode(range.Name));
        var values = new List<T>(Points + 4) { T.CreateTruncating(range.Low), T.CreateTruncating(range.High) };
        if (range.Signed)
        {
            values.Add(T.CreateTruncating(-range.Low));
            values.Add(T.CreateTruncating(-range.High));
        }

        // A range given by two negative ends is one-signed negative.
        double sign = range.Low < 0 ? -1 : 1, low = Math.Abs(range.Low), high = Math.Abs(range.High);
        double logLow = Math.Log(low), logHigh = Math.Log(high);
        while (values.Count < Points + 4)
        {
            double magnitude = sign * Math.Clamp(Math.Exp(logLow + ((logHigh - logLow) * random.NextDouble())), low, high);
            T value = T.CreateTruncating(range.Signed && random.Next(2) == 0 ? -magnitude : magnitude);
            if (T.IsFinite(value) && value != T.Zero)
            {
                values.Add(value);
            }
        }

        return values.ToArray();
    }

    // A stable seed per range name (string.GetHashCode is randomised per process).
    private static int HashCode(string s)
    {
        int h = 17;
        foreach (char c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
