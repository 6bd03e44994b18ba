using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// VectorMath's float exp and log against <c>Math.Exp/Log</c> in double (the reference, within ~1e-16 of the exact value),
/// through each of the 128-, 256- and 512-bit overloads (called directly, so every width runs whatever the hardware;
/// a width the CPU lacks runs CoreLib's software fallback). The error is measured in units in the last place of the
/// exact result (the spacing of floats there, 2^-149 in the subnormal range), so 2 ulp is the brief's bound.
/// </summary>
public class VectorMathTests
{
    private const double MaxUlp = 2.0;
    private const int Stride = 997;
    private static readonly int[] Widths = { 128, 256, 512 };

    private readonly ITestOutputHelper _output;

    public VectorMathTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Exp_EveryWidth_Within2Ulp_OnEvery997thBitPattern() => Sweep(log: false);

    [Fact]
    public void Log_EveryWidth_Within2Ulp_OnEvery997thBitPattern() => Sweep(log: true);

    [Fact]
    public void Exp_SpecialValuesAndThresholds()
    {
        float[] x =
        {
            0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, float.PositiveInfinity, float.NegativeInfinity,
            float.NaN, -float.NaN, float.MaxValue, float.MinValue,
            88.72283f, MathF.BitIncrement(88.72283f), MathF.BitDecrement(88.72283f), 88.7228394f, 89f, 100f, // overflow at ~88.7228391
            -87.33654f, MathF.BitIncrement(-87.33654f), -87.5f, -100f, -103.27893f, -103.972f, -103.9721f, -104f, -110f, -200f, // subnormal range and underflow
            0.34657359f, -0.34657359f, 0.3465736f, 0.6931472f, -0.6931472f, 20f, -20f, 50f, -50f,
        };
        foreach (int width in Widths)
        {
            float[] y = Map(width, log: false, x);
            for (int i = 0; i < x.Length; i++)
            {
                Check(x[i], y[i], Math.Exp(x[i]), width, "exp");
            }

            Assert.Equal(1f, y[0]);
            Assert.Equal(1f, y[1]);
            Assert.Equal(float.PositiveInfinity, y[8]);
            Assert.Equal(0f, y[9]);
            Assert.True(float.IsNaN(y[10]) && float.IsNaN(y[11]), $"exp(NaN) must be NaN (width {width})");
            Assert.Equal(float.PositiveInfinity, y[12]);
            Assert.Equal(0f, y[13]);
        }
    }

    [Fact]
    public void Log_SpecialValuesAndSubnormals()
    {
        float[] x =
        {
            0f, -0f, -1f, -float.Epsilon, float.NegativeInfinity, float.PositiveInfinity, float.NaN, -float.NaN,
            float.Epsilon, 2 * float.Epsilon, 3e-45f, 1e-40f, 5.877472e-39f, MathF.BitDecrement(1.17549435e-38f), 1.17549435e-38f,
            1f, MathF.BitIncrement(1f), MathF.BitDecrement(1f), 2f, 0.5f, 0.70710677f, 0.70710683f, 1.4142135f, 1.4142137f,
            float.MaxValue, 1e30f, 1e-30f, 2.7182817f, 10f,
        };
        foreach (int width in Widths)
        {
            float[] y = Map(width, log: true, x);
            for (int i = 0; i < x.Length; i++)
            {
                Check(x[i], y[i], x[i] < 0 ? double.NaN : Math.Log(x[i]), width, "log");
            }

            Assert.Equal(float.NegativeInfinity, y[0]);
            Assert.Equal(float.NegativeInfinity, y[1]);
            for (int i = 2; i <= 4; i++)
            {
                Assert.True(float.IsNaN(y[i]), $"log({x[i]}) must be NaN (width {width}), got {y[i]}");
            }

            Assert.Equal(float.PositiveInfinity, y[5]);
            Assert.True(float.IsNaN(y[6]) && float.IsNaN(y[7]), $"log(NaN) must be NaN (width {width})");
            Assert.Equal(0f, y[15]);
        }
    }

    [Fact]
    public void Log1P_EveryWidth_Within2Ulp_OverItsDomain_AndExactAtZero()
    {
        // Every 997th bit pattern of [sqrt(1/2) - 1, 1], then the boundary at 1/2, zeros, subnormals and NaN.
        const int step = 997;
        int positives = (0x3F800000 / step) + 1, negatives = ((BitConverter.SingleToInt32Bits(-0.29289323f) & 0x7FFFFFFF) / step) + 1;
        var x = new float[positives + negatives + 8];
        for (int i = 0; i < positives; i++)
        {
            x[i] = BitConverter.Int32BitsToSingle(i * step);
        }

        for (int i = 0; i < negatives; i++)
        {
            x[positives + i] = -BitConverter.Int32BitsToSingle(i * step);
        }

        float[] extra = { 0.5f, MathF.BitDecrement(0.5f), MathF.BitIncrement(0.5f), 1f, -0f, float.Epsilon, -float.Epsilon, float.NaN };
        extra.CopyTo(x, positives + negatives);
        var y = new float[x.Length];
        foreach (int width in Widths)
        {
            int lanes = width / 32;
            double worst = 0;
            for (int i = 0; i < x.Length; i += lanes)
            {
                int at = Math.Min(i, x.Length - lanes);
                switch (width)
                {
                    case 128: VectorMath.Log1P(Vector128.Create(x, at)).CopyTo(y, at); break;
                    case 256: VectorMath.Log1P(Vector256.Create(x, at)).CopyTo(y, at); break;
                    default: VectorMath.Log1P(Vector512.Create(x, at)).CopyTo(y, at); break;
                }
            }

            for (int i = 0; i < x.Length; i++)
            {
                // Goldberg's log1p in double: log(w) u / (w - 1) with w = 1 + u rounded.
                double u = x[i], w = 1 + u;
                worst = Math.Max(worst, Check(x[i], y[i], w == 1 ? u : Math.Log(w) * u / (w - 1), width, "log1p"));
            }

            _output.WriteLine($"log1p width {width}: {x.Length} inputs, max error {worst:F3} ulp");
            Assert.Equal(0f, y[0]);
            Assert.Equal(float.Epsilon, y[^3]);
            Assert.True(float.IsNaN(y[^1]), $"log1p(NaN) must be NaN (width {width})");
        }
    }

    [Fact]
    public void Double_MatchesMath_WithinFewUlp_EveryWidth()
    {
        var rng = new Rng(7);
        var x = new double[1000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (rng.NextDouble() * 1400) - 700;
        }

        for (int i = 0; i < x.Length; i += 8)
        {
            var v512 = Vector512.Create(x, i);
            var v256 = Vector256.Create(x, i);
            var v128 = Vector128.Create(x, i);
            for (int lane = 0; lane < 8; lane++)
            {
                double e = Math.Exp(x[i + lane]), l = Math.Log(Math.Abs(x[i + lane]));
                AssertRelative(VectorMath.Exp(v512)[lane], e, x[i + lane]);
                AssertRelative(VectorMath.Log(Vector512.Abs(v512))[lane], l, x[i + lane]);
                if (lane < 4)
                {
                    AssertRelative(VectorMath.Exp(v256)[lane], e, x[i + lane]);
                    AssertRelative(VectorMath.Log(Vector256.Abs(v256))[lane], l, x[i + lane]);
                }

                if (lane < 2)
                {
                    AssertRelative(VectorMath.Exp(v128)[lane], e, x[i + lane]);
                    AssertRelative(VectorMath.Log(Vector128.Abs(v128))[lane], l, x[i + lane]);
                }
            }
        }

        static void AssertRelative(double actual, double expected, double x) =>
            Assert.True(Math.Abs(actual - expected) <= 4 * double.Epsilon + (1e-15 * Math.Abs(expected)), $"x={x:R}: got {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Double_OverflowUnderflowEdgesAndSpecials_MatchMath(int width)
    {
        // MiniNet's own double exp and log (VectorMath.ExpDouble, LogDouble) at the ends of their ranges: the largest
        // finite exp, the first overflow, the subnormal results down to the last one and past it, the clamps (710,
        // -746), log of the smallest subnormal and of the largest double, and the special values.
        double[] x =
        [
            709.782712893384, 709.7827128933841, 709.79, 710, 1000, -708.3964185322641, -708.4, -740, -744.5, -745,
            -745.2, -746, -1000, 0, -0.0, 1e-300, double.Epsilon, double.MaxValue, 1, 0.5, 2,
            0.7071067811865476, 1.4142135623730951, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        ];
        double[] padded = [.. x, .. new double[8 - (x.Length % 8)]];
        double[] exp = VectorLanesTestKit.Map(width, padded, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp);
        double[] log = VectorLanesTestKit.Map(width, padded, VectorMath.Log, VectorMath.Log, VectorMath.Log);
        for (int i = 0; i < x.Length; i++)
        {
            Check(exp[i], Math.Exp(x[i]), $"exp({x[i]:R})");
            Check(log[i], Math.Log(x[i]), $"log({x[i]:R})");
        }

        // Within 1 ulp of Math's; exact for 0, the special values and results of a few subnormal steps (e^-745 is 0.57
        // of the smallest step, e^-744.5 1.03 of it: far from a rounding midpoint, so a scaling slip shows).
        static void Check(double actual, double expected, string what)
        {
            if (!double.IsFinite(expected) || Math.Abs(expected) < 1e-322)
            {
                actual.Should().Be(expected, what);
                return;
            }

            double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
            Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(ulp, what);
        }
    }

    // Logistic.Sigmoid is VectorMath.Exp's first caller outside the BCE kernels (LogisticTests covers those).
    [Fact]
    public void LogisticSigmoid_EveryLength_MatchesDefinition_InAndOutOfPlace_PropagatesNaN()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
            double[] planted = { 0, 50, -50, 100, -100, 1000, -1000, double.PositiveInfinity, double.NegativeInfinity, double.NaN };
            for (int n = 0; n <= 130; n++)
            {
                var rng = new Rng(6000 + (ulong)n);
                var x = new T[n];
                for (int i = 0; i < n; i++)
                {
                    x[i] = T.CreateTruncating(rng.NextInt(5) == 0 ? planted[rng.NextInt(planted.Length)] : (rng.NextDouble() * 60) - 30);
                }

                var s = new T[n];
                Logistic.Sigmoid<T>(x, s);
                T[] inPlace = (T[])x.Clone();
                Logistic.Sigmoid<T>(inPlace, inPlace);
                for (int i = 0; i < n; i++)
                {
                    double xi = double.CreateTruncating(x[i]), got = double.CreateTruncating(s[i]);
                    string what = $"{typeof(T).Name} n={n} i={i} x={xi:G9}: got {got:G17}";
                    inPlace[i].Equals(s[i]).Should().BeTrue($"in place must equal out of place ({what}, in place {inPlace[i]})");
                    if (double.IsNaN(xi))
                    {
                        double.IsNaN(got).Should().BeTrue(what);
                        continue;
                    }

                    // 1 / (1 + e^-x) in double, rounded once to T: its error is far below T's.
                    double expected = double.CreateTruncating(T.CreateTruncating(1 / (1 + Math.Exp(-xi))));
                    double allowed = Tolerances.KernelEps * ((eps * expected) + double.CreateTruncating(T.Epsilon));
                    Math.Abs(got - expected).Should().BeLessThanOrEqualTo(allowed, what);
                }
            }
        }
    }

    private void Sweep(bool log)
    {
        // Every 997th of the 2^32 bit patterns: both signs, zeros, subnormals, normals, infinities and NaNs.
        var x = new float[(int)((1L << 32) / Stride) + 1];
        for (long i = 0; i < x.Length; i++)
        {
            x[i] = BitConverter.Int32BitsToSingle((int)(uint)(i * Stride));
        }

        foreach (int width in Widths)
        {
            float[] y = Map(width, log, x);
            double worstNormal = 0, worstSubnormal = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double exact = log ? (x[i] < 0 ? double.NaN : Math.Log(x[i])) : Math.Exp(x[i]);
                double ulps = Check(x[i], y[i], exact, width, log ? "log" : "exp");
                if (Math.Abs(exact) >= 1.17549435e-38)
                {
                    worstNormal = Math.Max(worstNormal, ulps);
                }
                else
                {
                    worstSubnormal = Math.Max(worstSubnormal, ulps);
                }
            }

            _output.WriteLine($"{(log ? "log" : "exp")} width {width}: {x.Length} inputs, max error {worstNormal:F3} ulp (normal results), {worstSubnormal:F3} ulp (subnormal results, ulp = 2^-149)");
        }
    }

    // Returns the error in ulps of the exact result; NaN, infinite and overflowing results must match exactly.
    private static double Check(float x, float actual, double exact, int width, string function)
    {
        float rounded = (float)exact;
        if (!float.IsFinite(rounded))
        {
            Assert.True(rounded.Equals(actual), $"{function}({x:R}) width {width}: got {actual:R}, expected {rounded:R}");
            return 0;
        }

        double ulp = Math.ScaleB(1.0, Math.Max(exact == 0 ? -126 : Math.ILogB(exact), -126) - 23);
        double ulps = Math.Abs(actual - exact) / ulp;
        Assert.True(ulps <= MaxUlp, $"{function}({x:R}) width {width}: got {actual:R}, exact {exact:R}, error {ulps:F3} ulp > {MaxUlp}");
        return ulps;
    }

    // Runs x through the overload of the given width; a ragged last vector is padded with 1.
    private static float[] Map(int width, bool log, float[] x)
    {
        int lanes = width / 32;
        var padded = new float[(x.Length + lanes - 1) / lanes * lanes];
        Array.Fill(padded, 1f);
        x.CopyTo(padded, 0);
        var y = new float[padded.Length];
        for (int i = 0; i < padded.Length; i += lanes)
        {
            switch (width)
            {
                case 128:
                    var v128 = Vector128.Create(padded, i);
                    (log ? VectorMath.Log(v128) : VectorMath.Exp(v128)).CopyTo(y, i);
                    break;
                case 256:
                    var v256 = Vector256.Create(padded, i);
                    (log ? VectorMath.Log(v256) : VectorMath.Exp(v256)).CopyTo(y, i);
                    break;
                default:
                    var v512 = Vector512.Create(padded, i);
                    (log ? VectorMath.Log(v512) : VectorMath.Exp(v512)).CopyTo(y, i);
                    break;
            }
        }

        return y.AsSpan(0, x.Length).ToArray();
    }
}
