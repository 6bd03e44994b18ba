using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Scalar <c>erf</c>, <c>erfc</c>, <c>log1p</c> and <c>expm1</c>, accurate near 0 where the naive formulas cancel.
/// Each is computed in double; the float versions round the double result once (within 0.5 ulp plus the double
/// error, i.e. correctly rounded for all but a few inputs).
/// </summary>
/// <remarks>
/// <para>
/// Log1p (Goldberg, "What every computer scientist should know about floating-point arithmetic", theorem 4): with
/// <c>w = 1 + x</c> rounded, <c>log1p(x) = x</c> when <c>w == 1</c>, else <c>log(w) * (x / (w - 1))</c>, which cancels
/// the rounding of <c>w</c> to first order. Expm1 is Kahan's dual: <c>u = e^x</c>; <c>x</c> when <c>u == 1</c>, else
/// <c>(u - 1) * (x / log u)</c>. A prototype of both was within 2 ulp of libm's <c>log1p/expm1</c> (through CPython) on
/// 200,000 log-uniform points in 1e-20..1e2 of either sign; <c>Log1pTests</c>/<c>Expm1Tests</c> check them against libtorch.
/// </para>
/// <para>
/// Erf for <c>|x| &lt; 1.5</c>: its Taylor series <c>2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))</c> to degree 26
/// in <c>x^2</c>, by Horner with fused multiply-adds. For <c>|x| &gt;= 1.5</c>, <c>erfc(x) = e^(-x^2) / (sqrt(pi) (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))))</c> by
/// the modified Lentz method (at most ~125 levels, at 1.5; 40 at 2.5), with <c>e^(-x^2)</c> corrected for the rounding
/// of <c>x^2</c> by one fused multiply-add, and <c>erf = 1 - erfc</c>; from 6 on erf is exactly 1 in double. Measured
/// against libtorch's erf on [-7, 7] in steps of 0.001 (<c>ErfTests</c>): within 3 ulp, the worst just below 1.5 where
/// the alternating terms add up to ~4.7 times the result; the continued fraction within 1 ulp of a 60-digit reference.
/// <c>Erfc</c> below 1.5 is <c>1 - erf</c>, whose absolute error is erf's (~1e-16): fine where it is added to O(1)
/// terms (GELU's CDF), not for relative accuracy far below 1.
/// </para>
/// </remarks>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double InvSqrtPi = 0.5641895835477563;

    // c_n = (-1)^n / (n! (2n+1)): n! is exact in double up to 18!, so each coefficient that matters is within ~1 ulp.
    private static readonly double[] ErfTaylorCoefficients = TaylorCoefficients(27);

    /// <summary>The series coefficients <c>c_n</c> of <see cref="Erf(double)"/> below 1.5 (for the vectorised float erf).</summary>
    internal static ReadOnlySpan<double> ErfSeries => ErfTaylorCoefficients;

    /// <summary><c>ln(1 + x)</c>, accurate for tiny |x|.</summary>
    public static T Log1p<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.CreateTruncating(Log1p(double.CreateTruncating(x)));

    /// <summary><c>e^x - 1</c>, accurate for tiny |x|.</summary>
    public static T Expm1<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.CreateTruncating(Expm1(double.CreateTruncating(x)));

    /// <summary>The error function <c>2/sqrt(pi) int_0^x e^(-t^2) dt</c>.</summary>
    public static T Erf<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.CreateTruncating(Erf(double.CreateTruncating(x)));

    /// <summary><c>ln(1 + x)</c> in double (see the class remarks).</summary>
    public static double Log1p(double x)
    {
        if (x == double.PositiveInfinity)
        {
            return x;
        }

        double w = 1 + x;
        return w == 1 ? x : Math.Log(w) * (x / (w - 1));
    }

    /// <summary><c>e^x - 1</c> in double (see the class remarks).</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        double um1 = u - 1;
        if (um1 == -1 || double.IsPositiveInfinity(u))
        {
            return um1;
        }

        return um1 * (x / Math.Log(u));
    }

    /// <summary>The error function in double (see the class remarks); odd, so <c>erf(-0) = -0</c>.</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        double r = a < 1.5 ? ErfTaylor(a) : a < 6 ? 1 - ErfcFraction(a) : double.IsNaN(a) ? a : 1;
        return double.CopySign(r, x);
    }

    /// <summary>The complementary error function <c>1 - erf(x)</c> in double, without underflowing to 0 before <c>x</c> ~ 26.5.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x < 1.5)
        {
            return 1 - Erf(x);
        }

        return x < 27 ? ErfcFraction(x) : 0;
    }

    /// <summary>
    /// <c>erfc(x / sqrt 2)</c> for x &gt;= 0 (twice the normal CDF at -x), with <c>e^(-x^2/2)</c> taken from x itself: the
    /// rounding of <c>x / sqrt 2</c>, which <c>e^(-a^2)</c> would amplify <c>x^2</c> times (390 ulp at x = 18.6), then only
    /// reaches the continued fraction, whose relative sensitivity to a is below 1. The fraction takes over from a = 1
    /// (Erfc's <c>1 - erf</c> up to 1.5 loses 20 ulp at 1.43, 9 at 0.98); it converges from 0.6 in about 500 levels.
    /// </summary>
    public static double ErfcOfHalfSquare(double x)
    {
        double a = x * 0.70710678118654752440;
        if (!(a >= 0.6))
        {
            return Erfc(a);
        }

        if (a >= 27)
        {
            return 0;
        }

        double h = x * x, e = Math.FusedMultiplyAdd(x, x, -h);
        return Math.Exp(-0.5 * h) * (1 - (0.5 * e)) * InvSqrtPi / Fraction(a);
    }

    // e^(-a^2) with a^2 = a2 + e split exactly by a fused multiply-add: e^(-a2) (1 - e), |e| <= ulp(a2) / 2.
    private static double ExpMinusSquare(double a)
    {
        double a2 = a * a;
        double e = Math.FusedMultiplyAdd(a, a, -a2);
        return Math.Exp(-a2) * (1 - e);
    }

    // erf(a) = 2/sqrt(pi) a sum_n c_n y^n, y = a^2, c_n = (-1)^n / (n! (2n+1)), for a < 1.5, by Horner from the
    // smallest term. The series alternates, but its terms shrink from the first on and their magnitudes add up to at most
    // erfi(1.5) / erf(1.5) ~ 4.7 times the result, so little is lost to cancellation. Degree 26: the first dropped term
    // is 2.25^27 / (27! 55) ~ 5e-21 of the sum.
    private static double ErfTaylor(double a)
    {
        double y = a * a, sum = ErfTaylorCoefficients[^1];
        for (int n = ErfTaylorCoefficients.Length - 2; n >= 0; n--)
        {
            sum = Math.FusedMultiplyAdd(sum, y, ErfTaylorCoefficients[n]);
        }

        return TwoOverSqrtPi * a * sum;
    }

    private static double[] TaylorCoefficients(int count)
    {
        var c = new double[count];
        double factorial = 1;
        for (int n = 0; n < count; n++)
        {
            factorial *= Math.Max(n, 1);
            c[n] = (n % 2 == 0 ? 1 : -1) / (factorial * ((2 * n) + 1));
        }

        return c;
    }

    // f = a + (1/2)/(a + (2/2)/(a + (3/2)/(a + ...))); erfc(a) = e^(-a^2) / (sqrt(pi) f) for a >= 1.5.
    private static double ErfcFraction(double a) => ExpMinusSquare(a) * InvSqrtPi / Fraction(a);

    // Lentz finds how many levels the fraction needs (its running product gathers one rounding per level, up to 7 ulp);
    // the value is then evaluated from that depth upwards, where each level's rounding is damped by the next (1 ulp).
    private static double Fraction(double a)
    {
        double c = a, d = 0;
        int depth = 1;
        for (; depth < 5000; depth++)
        {
            double ak = 0.5 * depth;
            d = 1 / (a + (ak * d));
            c = a + (ak / c);
            if (Math.Abs((c * d) - 1) < 1e-16)
            {
                break;
            }
        }

        double f = a;
        for (int k = depth + 8; k >= 1; k--)
        {
            f = a + (0.5 * k / f);
        }

        return f;
    }
}
