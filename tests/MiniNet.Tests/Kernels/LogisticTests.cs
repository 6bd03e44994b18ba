using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// The vectorised logistic kernels against their definitions evaluated in double, for every length 0..130 (every
/// vector width, the overlapping last vector and every scalar tail), including |z| = 50 and 100 and z = 0.
/// </summary>
public class LogisticTests
{
    private const int MaxLength = 130;

    [Fact]
    public void BceWithLogits_EveryLength_MatchesDefinition_InAndOutOfPlace()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                (T[] z, T[] y) = Inputs<T>(n, seed: (ulong)n);
                var loss = new T[n];
                Logistic.BceWithLogits<T>(z, y, loss);
                T[] inPlace = (T[])z.Clone();
                Logistic.BceWithLogits<T>(inPlace, y, inPlace);
                for (int i = 0; i < n; i++)
                {
                    double zi = double.CreateTruncating(z[i]), yi = double.CreateTruncating(y[i]);
                    double softplus = Log1P(Math.Exp(-Math.Abs(zi)));
                    double expected = Math.Max(zi, 0) - (zi * yi) + softplus;
                    double magnitude = Math.Max(zi, 0) + Math.Abs(zi * yi) + softplus;
                    AssertNear(loss[i], expected, magnitude, $"{typeof(T).Name} n={n} i={i} z={zi:G9} y={yi:G9}");
                    inPlace[i].Should().Be(loss[i], $"in place must equal out of place ({typeof(T).Name} n={n} i={i})");
                }
            }
        }
    }

    [Fact]
    public void BceWithLogitsSum_EveryLength_MatchesDefinition()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                (T[] z, T[] y) = Inputs<T>(n, seed: 1000 + (ulong)n);
                double expected = 0, magnitude = 0;
                for (int i = 0; i < n; i++)
                {
                    double zi = double.CreateTruncating(z[i]);
                    double loss = Math.Max(zi, 0) - (zi * double.CreateTruncating(y[i])) + Log1P(Math.Exp(-Math.Abs(zi)));
                    expected += loss;
                    magnitude += Math.Abs(loss) + Math.Abs(double.CreateTruncating(z[i]));
                }

                // A sum of n terms adds up to n roundings on top of each term's own error.
                AssertNear(Logistic.BceWithLogitsSum<T>(z, y), expected, magnitude * (1 + (n / Tolerances.KernelEps)), $"{typeof(T).Name} n={n}");
            }
        }
    }

    [Fact]
    public void BceWithLogitsGrad_EveryLength_AccumulatesSigmaMinusY_PerElementAndShared()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                (T[] z, T[] y) = Inputs<T>(n, seed: 2000 + (ulong)n);
                (T[] upstream, T[] initial) = Inputs<T>(n, seed: 3000 + (ulong)n);
                foreach (bool perElement in new[] { true, false })
                {
                    T shared = T.CreateTruncating(0.37);
                    T[] grad = (T[])initial.Clone();
                    Logistic.BceWithLogitsGrad<T>(z, y, perElement ? upstream : default, shared, grad);
                    for (int i = 0; i < n; i++)
                    {
                        double zi = double.CreateTruncating(z[i]), yi = double.CreateTruncating(y[i]);
                        double u = double.CreateTruncating(perElement ? upstream[i] : shared), g0 = double.CreateTruncating(initial[i]);
                        double sigma = 1 / (1 + Math.Exp(-zi));
                        double expected = g0 + ((sigma - yi) * u);
                        double magnitude = Math.Abs(g0) + ((sigma + Math.Abs(yi)) * Math.Abs(u));
                        AssertNear(grad[i], expected, magnitude, $"{typeof(T).Name} n={n} i={i} perElement={perElement} z={zi:G9} y={yi:G9}");
                    }
                }
            }
        }
    }

    [Fact]
    public void SigmoidBackward_EveryLength_EqualsScalarLoop_BitForBit()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                (T[] z, T[] g) = Inputs<T>(n, seed: 4000 + (ulong)n);
                (T[] initial, _) = Inputs<T>(n, seed: 5000 + (ulong)n);
                T[] s = Array.ConvertAll(z, Logistic.Sigmoid);
                T[] grad = (T[])initial.Clone();
                Logistic.SigmoidBackward<T>(s, g, grad);
                for (int i = 0; i < n; i++)
                {
                    T expected = initial[i] + (g[i] * s[i] * (T.One - s[i]));
                    grad[i].Should().Be(expected, $"{typeof(T).Name} n={n} i={i} s={s[i]} g={g[i]} initial={initial[i]}");
                }
            }
        }
    }

    [Fact]
    public void Sigmoid_EveryLength_MatchesDefinition_InAndOutOfPlace()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                (T[] z, _) = Inputs<T>(n, seed: 6000 + (ulong)n);
                var s = new T[n];
                Logistic.Sigmoid<T>(z, s);
                T[] inPlace = (T[])z.Clone();
                Logistic.Sigmoid<T>(inPlace, inPlace);
                for (int i = 0; i < n; i++)
                {
                    double zi = double.CreateTruncating(z[i]);
                    double expected = zi >= 0 ? 1 / (1 + Math.Exp(-zi)) : Math.Exp(zi) / (1 + Math.Exp(zi));
                    AssertNear(s[i], expected, expected, $"{typeof(T).Name} n={n} i={i} z={zi:G9}");
                    inPlace[i].Should().Be(s[i], $"in place must equal out of place ({typeof(T).Name} n={n} i={i})");
                }
            }
        }
    }

    [Fact]
    public void Throws_OnLengthMismatch()
    {
        FluentActions.Invoking(() => Logistic.BceWithLogits<double>(new double[3], new double[4], new double[3]))
            .Should().Throw<ArgumentException>().WithMessage("*3, 4, 3*");
        FluentActions.Invoking(() => Logistic.SigmoidBackward<float>(new float[3], new float[3], new float[2]))
            .Should().Throw<ArgumentException>();
    }

    // Logits spread over [-30, 30] with z = 0, +-50 and +-100 planted at seeded positions; targets in [0, 1], some exactly 0 or 1.
    private static (T[] Z, T[] Y) Inputs<T>(int n, ulong seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var z = new T[n];
        var y = new T[n];
        double[] planted = { 0, 50, -50, 100, -100 };
        for (int i = 0; i < n; i++)
        {
            z[i] = T.CreateTruncating(rng.NextInt(6) == 0 ? planted[rng.NextInt(planted.Length)] : (rng.NextDouble() * 60) - 30);
            y[i] = T.CreateTruncating(rng.NextInt(4) == 0 ? rng.NextInt(2) : rng.NextDouble());
        }

        return (z, y);
    }

    // Goldberg's log1p, independent of the kernel's correction: log(w) * u / (w - 1) with w = 1 + u rounded.
    private static double Log1P(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : Math.Log(w) * u / (w - 1);
    }

    // |actual - expected| <= KernelEps * eps(T) * magnitude, magnitude being the sum of the terms' sizes (so a
    // cancellation is judged against what was cancelled, and a near-zero loss against its own tiny terms), plus as
    // many subnormal steps: at z = -100 float results are subnormal and have no relative precision left.
    private static void AssertNear<T>(T actual, double expected, double magnitude, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
        double got = double.CreateTruncating(actual), allowed = Tolerances.KernelEps * ((eps * magnitude) + double.CreateTruncating(T.Epsilon));
        if (!(Math.Abs(got - expected) <= allowed))
        {
            throw new Xunit.Sdk.XunitException($"{what}: got {got:G17}, expected {expected:G17}, |diff| {Math.Abs(got - expected):G3} > {allowed:G3}");
        }
    }
}
