using System;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// A double-double number <c>Hi + Lo</c> (|Lo| &lt;= ulp(Hi)/2, about 106 significant bits), with the few operations the
/// accuracy sweeps need. Error-free transforms: TwoSum (Knuth) and TwoProd by fused multiply-add.
/// </summary>
internal readonly record struct DD(double Hi, double Lo)
{
    public static implicit operator DD(double x) => new(x, 0);

    public static DD operator +(DD a, DD b)
    {
        (double s, double e) = TwoSum(a.Hi, b.Hi);
        (double t, double f) = TwoSum(a.Lo, b.Lo);
        e += t;
        (s, e) = FastTwoSum(s, e);
        e += f;
        return FastTwoSum(s, e);
    }

    public static DD operator -(DD a) => new(-a.Hi, -a.Lo);

    public static DD operator -(DD a, DD b) => a + -b;

    public static DD operator *(DD a, DD b)
    {
        double p = a.Hi * b.Hi;
        double e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p) + ((a.Hi * b.Lo) + (a.Lo * b.Hi));
        return FastTwoSum(p, e);
    }

    public static DD operator /(DD a, DD b)
    {
        double q1 = a.Hi / b.Hi;
        DD r = a - (b * q1);
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        return FastTwoSum(q1, q2) + q3;
    }

    public DD ScaleB(int k) => new(Math.ScaleB(Hi, k), Math.ScaleB(Lo, k));

    private static DD FastTwoSum(double a, double b)
    {
        double s = a + b;
        return new DD(s, b - (s - a));
    }

    private static DD TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return new DD(s, (a - (s - bb)) + (b - bb));
    }
}

/// <summary>
/// A reference value <c>M * 2^K</c>, so results far in the subnormal range (exp(-740), sigmoid(-740)) keep all their bits.
/// </summary>
internal readonly record struct Scaled(DD M, int K)
{
    public static implicit operator Scaled(DD m) => new(m, 0);

    public static implicit operator Scaled(double m) => new(m, 0);
}

/// <summary>
/// Reference functions in double-double, accurate to far better than 1e-25 relative, including near 0, so the error of a
/// float or double kernel measured against them is the kernel's own. Each returns NaN/inf cases to the caller, who
/// checks special values separately.
/// </summary>
internal static partial class AccuracyReference
{
    private static readonly DD Ln2 = new(0.6931471805599453, 2.3190468138462996e-17);

    /// <summary><c>e^x</c> as <c>M 2^K</c>: <c>x = k ln2 + r</c>, <c>e^(r/256)</c> by Taylor, squared eight times.</summary>
    public static Scaled Exp(DD x)
    {
        if (Math.Abs(x.Hi) > 1100)
        {
            // Far beyond either format's range: exactly what a correctly rounded result would be.
            return x.Hi > 0 ? double.PositiveInfinity : 0;
        }

        int k = (int)Math.Round(x.Hi / Ln2.Hi);
        DD r = (x - (Ln2 * k)).ScaleB(-8);
        DD sum = 1, term = 1;
        for (int n = 1; n <= 14; n++)
        {
            term = term * r / n;
            sum += term;
        }

        for (int i = 0; i < 8; i++)
        {
            sum *= sum;
        }

        return new Scaled(sum, k);
    }

    /// <summary><c>e^x - 1</c>, relative accuracy kept near 0 (Taylor below 1/2 in magnitude).</summary>
    public static DD Expm1(DD x)
    {
        if (Math.Abs(x.Hi) >= 0.5)
        {
            Scaled e = Exp(x);
            return e.M.ScaleB(e.K) - 1;
        }

        DD sum = x, term = x;
        for (int n = 2; n <= 30; n++)
        {
            term = term * x / n;
            sum += term;
        }

        return sum;
    }

    /// <summary><c>ln(1 + u)</c>: <c>2 atanh(u / (2 + u))</c> by series for |u| &lt; 1/64, else Newton on exp.</summary>
    public static DD Log1p(DD u)
    {
        if (Math.Abs(u.Hi) < 1.0 / 64)
        {
            DD s = u / (u + 2), s2 = s * s, power = s, sum = s;
            for (int n = 3; n <= 31; n += 2)
            {
                power *= s2;
                sum += power / n;
            }

            return sum * 2;
        }

        DD w = u + 1;
        DD y = Math.Log(w.Hi + w.Lo);
        for (int i = 0; i < 2; i++)
        {
            Scaled e = Exp(-y);
            y += (w * e.M.ScaleB(e.K)) - 1;
        }

        return y;
    }

    /// <summary><c>ln x</c> for x &gt; 0 (near 1 through <see cref="Log1p"/> of the exact <c>x - 1</c>).</summary>
    public static DD Log(double x)
    {
        if (x > 0.5 && x < 2)
        {
            return Log1p((DD)x - 1);
        }

        // Subnormal x: ln(x 2^60) - 60 ln2 keeps Math.Log's start value accurate.
        int k = x < 1e-300 ? 60 : 0;
        return Log1p((DD)Math.ScaleB(x, k) - 1) - (Ln2 * k);
    }

    /// <summary><c>sqrt x</c> for x &gt;= 0: one Newton step from Math.Sqrt.</summary>
    public static DD Sqrt(double x)
    {
        // Below ~1e-250 the low half of y*y (about x 2^-53) falls under the subnormal grid, so the residual came out 0
        // and the "reference" was Math.Sqrt itself (every subnormal input measured 0 ulp). sqrt(x 4^300) = 2^300 sqrt x exactly.
        if (x > 0 && x < 1e-250)
        {
            return Sqrt(Math.ScaleB(x, 600)).ScaleB(-300);
        }

        double y = Math.Sqrt(x);
        if (y == 0)
        {
            return 0;
        }

        DD residual = (DD)x - ((DD)y * y);
        return (DD)y + (residual / (2 * y));
    }

    /// <summary><c>tanh x</c>: <c>E / (E + 2)</c> with <c>E = expm1(2x)</c> below 1/4, else <c>1 - 2 / (e^(2|x|) + 1)</c>.</summary>
    public static DD Tanh(double x)
    {
        if (Math.Abs(x) < 0.25)
        {
            DD e = Expm1((DD)x * 2);
            return e / (e + 2);
        }

        if (Math.Abs(x) > 40)
        {
            return Math.Sign(x);
        }

        Scaled big = Exp((DD)Math.Abs(x) * 2);
        DD t = 1 - ((DD)2 / (big.M.ScaleB(big.K) + 1));
        return x < 0 ? -t : t;
    }

    /// <summary><c>1 / (1 + e^-z)</c>, as <c>e^z / (1 + e^z)</c> for z &lt; 0 with the scale kept.</summary>
    public static Scaled Sigmoid(double z)
    {
        if (z >= 0)
        {
            Scaled e = Exp(-(DD)z);
            return (DD)1 / (e.M.ScaleB(e.K) + 1);
        }

        Scaled ez = Exp(z);
        return new Scaled(ez.M / (ez.M.ScaleB(ez.K) + 1), ez.K);
    }

    /// <summary><c>log(1 + e^z)</c> (BCE-with-logits at target 0), with the scale kept for very negative z.</summary>
    public static Scaled Softplus(double z)
    {
        if (z >= 0)
        {
            Scaled e = Exp(-(DD)z);
            return (DD)z + Log1p(e.M.ScaleB(e.K));
        }

        Scaled ez = Exp(z);
        if (ez.K < -200)
        {
            // log1p(v) = v (1 - v/2 + ...), v = M 2^K below 2^-190: the correction is far below any ulp.
            DD v = ez.M.ScaleB(ez.K);
            return new Scaled(ez.M * (1 - (v / 2)), ez.K);
        }

        return Log1p(ez.M.ScaleB(ez.K));
    }

    /// <summary><c>x_i - log(sum_j e^(x_j))</c>, as <c>(x_i - m) - log1p(sum_{j != argmax} e^(x_j - m))</c>.</summary>
    public static DD LogSoftmax(ReadOnlySpan<double> row, int i)
    {
        int argmax = 0;
        for (int j = 1; j < row.Length; j++)
        {
            argmax = row[j] > row[argmax] ? j : argmax;
        }

        DD rest = 0;
        for (int j = 0; j < row.Length; j++)
        {
            if (j != argmax)
            {
                Scaled e = Exp((DD)row[j] - row[argmax]);
                rest += e.M.ScaleB(e.K);
            }
        }

        return ((DD)row[i] - row[argmax]) - Log1p(rest);
    }

    /// <summary>
    /// The error of <paramref name="computed"/> in units in the last place of the exact value <paramref name="reference"/>
    /// in a format with <paramref name="mantissaBits"/> stored bits and smallest normal exponent <paramref name="minExponent"/>
    /// (ulp = spacing of that format at the exact value, fixed below the normal range). Computed in the reference's scale,
    /// so it is exact even where the value is subnormal.
    /// </summary>
    public static double UlpError(double computed, Scaled reference, int mantissaBits, int minExponent)
    {
        DD m = reference.M;
        if (!double.IsFinite(m.Hi))
        {
            return computed == m.Hi ? 0 : double.PositiveInfinity;
        }

        if (m.Hi == 0)
        {
            return computed == 0 ? 0 : double.PositiveInfinity;
        }

        int exponent = Math.Max(Math.ILogB(m.Hi) + reference.K, minExponent);
        DD difference = (DD)Math.ScaleB(computed, -reference.K) - m;
        return Math.Abs(Math.ScaleB(difference.Hi + difference.Lo, reference.K - exponent + mantissaBits));
    }
}
