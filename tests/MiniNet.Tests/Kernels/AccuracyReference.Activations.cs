using System;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// Double-double references for log1p, expm1, erf and the activations built on them (GELU, tanh-GELU, SiLU, softplus).
/// The constants are the double-double roundings of the exact values (mpmath at 200 bits); <c>0.044715</c> is the
/// decimal PyTorch writes. erf: its Taylor series below 3 (terms at most 8,100 times the sum, 13 of 106 bits lost;
/// series truncation below 1e-33, checked against mpmath), the continued fraction of erfc from 3 up (300 levels,
/// agreeing with mpmath to 1e-34 at 3).
/// </summary>
internal static partial class AccuracyReference
{
    private static readonly DD InvSqrt2 = new(0.7071067811865476, -4.833646656726457e-17);
    private static readonly DD TwoOverSqrtPi = new(1.1283791670955126, 1.533545961316588e-17);
    private static readonly DD InvSqrtPi = new(0.5641895835477563, 7.66772980658294e-18);
    private static readonly DD SqrtTwoOverPi = new(0.7978845608028654, -4.98465440455546e-17);
    private static readonly DD Kappa = new(0.044715, 2.1960211427085595e-18);

    /// <summary><c>erf x</c> (odd).</summary>
    public static Scaled Erf(double x)
    {
        if (Math.Abs(x) > 1e6)
        {
            return Math.Sign(x);
        }

        DD z = Math.Abs(x);
        DD e = Math.Abs(x) < 3 ? ErfSeries(z) : 1 - Plain(ErfcLarge(z));
        return x < 0 ? -e : e;
    }

    /// <summary><c>x Phi(x)</c>, <c>Phi(x) = erfc(-x / sqrt 2) / 2</c>, with the scale kept in the left tail.</summary>
    public static Scaled Gelu(double x)
    {
        if (Math.Abs(x) > 1e6)
        {
            return x > 0 ? x : 0;
        }

        DD z = (DD)Math.Abs(x) * InvSqrt2;
        if (x >= 0)
        {
            DD erf = z.Hi < 3 ? ErfSeries(z) : 1 - Plain(ErfcLarge(z));
            return (DD)x * (erf + 1) * 0.5;
        }

        Scaled erfc = z.Hi < 3 ? (1 - ErfSeries(z)) : ErfcLarge(z);
        return new Scaled(erfc.M * x * 0.5, erfc.K);
    }

    /// <summary><c>x (1 + tanh(u)) / 2 = x sigma(2u)</c>, <c>u = sqrt(2/pi)(x + 0.044715 x^3)</c>.</summary>
    public static Scaled GeluTanh(double x)
    {
        if (Math.Abs(x) > 1e6)
        {
            return x > 0 ? x : 0;
        }

        DD v = x;
        DD twoU = SqrtTwoOverPi * (v + (Kappa * v * v * v)) * 2;
        Scaled s = SigmoidOf(twoU);
        return new Scaled(s.M * x, s.K);
    }

    /// <summary><c>x sigma(x)</c>.</summary>
    public static Scaled Silu(double x)
    {
        Scaled s = Sigmoid(x);
        return new Scaled(s.M * x, s.K);
    }

    /// <summary>PyTorch's <c>F.softplus(x)</c> (beta 1, threshold 20): <c>x</c> above 20, <c>log(1 + e^x)</c> otherwise.</summary>
    public static Scaled SoftplusOp(double x) => x > 20 ? x : Softplus(x);

    /// <summary><c>ln(1 + x)</c> for x &gt; -1.</summary>
    public static Scaled Log1pOf(double x) => Math.Abs(x) < 1e-200 ? x : Log1p(x); // below, log1p(x) = x (1 - x/2 ...) is x to 1e-200 relative

    /// <summary><c>e^x - 1</c>.</summary>
    public static Scaled Expm1Of(double x) => x > 710 ? double.PositiveInfinity : Expm1(x);

    private static DD Plain(Scaled s) => s.M.ScaleB(s.K);

    // erf z for 0 <= z < 3: 2/sqrt(pi) sum_n (-1)^n z^(2n+1) / (n! (2n+1)).
    private static DD ErfSeries(DD z)
    {
        DD z2 = z * z, term = z, sum = z;
        for (int n = 1; n < 200 && Math.Abs(term.Hi) > 1e-36 * Math.Abs(sum.Hi); n++)
        {
            term = -(term * z2 / n);
            sum += term / ((2 * n) + 1);
        }

        return sum * TwoOverSqrtPi;
    }

    // erfc z for z >= 3: e^(-z^2) / sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / (z + ...)))).
    private static Scaled ErfcLarge(DD z)
    {
        DD f = z;
        for (int k = 300; k >= 1; k--)
        {
            f = z + ((DD)(k * 0.5) / f);
        }

        Scaled e = Exp(-(z * z));
        return new Scaled(e.M * InvSqrtPi / f, e.K);
    }

    private static Scaled SigmoidOf(DD z)
    {
        if (z.Hi >= 0)
        {
            Scaled e = Exp(-z);
            return (DD)1 / (e.M.ScaleB(e.K) + 1);
        }

        Scaled ez = Exp(z);
        return new Scaled(ez.M / (ez.M.ScaleB(ez.K) + 1), ez.K);
    }
}
