using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// The exact GELU of float tensors, <c>x Phi(x)</c>, and its derivative in float lanes (16 per Vector512), within
/// 4 float ulp of the exact result down to the subnormals (docs/accuracy.md).
/// </summary>
/// <remarks>
/// <para>|x| &lt;= 0.6: <c>Phi(x) = 1/2 + x P(x^2)</c>, P an even least-squares fit of <c>erf(x/sqrt 2) / (2x)</c>
/// (relative error below 1e-9); Phi &gt;= 0.27 there, so the sum does not cancel.</para>
/// <para>Otherwise <c>Phi(-|x|) = e^(-x^2/2) t S(t)</c>, <c>t = 1 / (1 + |x|/2)</c>, S a degree-10 relative least-squares fit
/// on [0.6, 14.2] in <c>s = (t - TMid) TInvHalf</c>, which spans [-1, 1] (fit error 1e-9). Taking t out of S leaves
/// S between 0.23 and 0.36 with no cancelling terms, which a fit of the whole <c>erfc(z) e^(z^2)</c> in t lacks (it
/// lost 7e-7 in float). The roundings of <c>1 + |x|/2</c> and of the division are corrected, and <c>x^2</c> is split
/// into <c>h + l</c> with a fused multiply-add so that <c>e^(-x^2/2)</c> sees the exact square (a rounded x^2 costs
/// x^2/2 float ulps: 50 at x = -10). The exponential reduces <c>-h/2 = n ln2 + r</c> (ln2 in two parts), adds -l/2
/// to r and keeps <c>e^r = 1 + e1</c> unrounded into the last fused step. <c>2^n</c> is applied as <c>2^(n+64)</c>, then
/// <c>2^-64</c>, so results in the subnormal range are rounded once. <c>Phi(|x|) = 1 - Phi(-|x|)</c>.</para>
/// <para>Worst measured: 3.0 ulp forward over 200,000 inputs (GeluFloatLanesTests), 1.66 in the accuracy sweep (the
/// double-lane fit it replaces: 2.07, at twice the work per element). Fits: weighted least squares, QR in double.</para>
/// </remarks>
internal static class GeluFloatLanes
{
    public const float InvSqrt2Pi = 0.398942280f;
    private const float CentralLimit = 0.6f, TailLimit = 15f, TwoToMinus64 = 5.42101086e-20f;
    private const float Log2E = 1.44269504f, Ln2Hi = 0.693145752f, Ln2Lo = 1.42860677e-6f;
    private const float E7 = 1f / 5040, E6 = 1f / 720, E5 = 1f / 120, E4 = 1f / 24, E3 = 1f / 6;
    private const float TMid = 0.44634378f, TInvHalf = 3.0970588f;
    private const float P0 = 0.3989423f, P1 = -0.06649038f, P2 = 0.009973518f, P3 = -0.001186878f, P4 = 0.00011307272f;
    private const float P5 = -3.7042525E-06f, P6 = -4.601011E-06f;
    private const float S0 = 0.31861052f, S1 = 0.104603186f, S2 = 0.008444569f, S3 = -0.0048069386f, S4 = -0.00038024844f;
    private const float S5 = 0.00043461885f, S6 = -3.9024686E-05f, S7 = -3.769295E-05f, S8 = 1.4047787E-05f;
    private const float S9 = 1.4719618E-06f, S10 = -1.732456E-06f;

    /// <summary><c>x Phi(x)</c> per lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> x)
    {
        Vector512<float> left = Vector512.LessThan(x, Vector512<float>.Zero);
        Vector512<float> tail = LowerTail(x, Vector512.ConditionalSelect(left, x, Vector512<float>.One), out _) * Vector512.Create(TwoToMinus64);
        Vector512<float> outer = Vector512.ConditionalSelect(left, tail, x * (Vector512<float>.One - tail));
        Vector512<float> central = Vector512.FusedMultiplyAdd(x * CentralP(x), x, Vector512.Create(0.5f) * x); // x/2 + x^2 P, one rounding
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(Vector512.Abs(x), Vector512.Create(CentralLimit)), central, outer);
    }

    /// <summary><c>Phi(x) + x phi(x)</c> per lane, the derivative of <c>x Phi(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Derivative(Vector512<float> x)
    {
        // Both tail terms carry 2^64 (see LowerTail), removed last, so a subnormal left-tail derivative is rounded once.
        Vector512<float> tail = LowerTail(x, Vector512<float>.One, out Vector512<float> gauss), xc = x * Vector512.Create(InvSqrt2Pi);
        Vector512<float> leftTail = Vector512.FusedMultiplyAdd(xc, gauss, tail) * Vector512.Create(TwoToMinus64);
        Vector512<float> central = Vector512.LessThanOrEqual(Vector512.Abs(x), Vector512.Create(CentralLimit));
        Vector512<float> upper = Vector512<float>.One - (tail * Vector512.Create(TwoToMinus64));
        Vector512<float> cdf = Vector512.ConditionalSelect(central, Vector512.FusedMultiplyAdd(x, CentralP(x), Vector512.Create(0.5f)), upper);
        Vector512<float> inner = Vector512.FusedMultiplyAdd(xc, gauss * Vector512.Create(TwoToMinus64), cdf);
        return Vector512.ConditionalSelect(Vector512.AndNot(Vector512.LessThan(x, Vector512<float>.Zero), central), leftTail, inner);
    }

    // P(x^2) of Phi(x) = 1/2 + x P(x^2): no cancellation while |x| <= 0.6 (Phi >= 0.27).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CentralP(Vector512<float> x)
    {
        Vector512<float> v = x * x;
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(P6), v, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, v, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, v, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, v, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, v, Vector512.Create(P1));
        return Vector512.FusedMultiplyAdd(p, v, Vector512.Create(P0));
    }

    // 2^64 scale Phi(-|x|) = 2^64 scale e^(-x^2/2) t S(t) with t = 1 / (1 + |x|/2), and gauss = 2^64 e^(-x^2/2) (see the
    // class remarks); the callers multiply by 2^-64 last.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LowerTail(Vector512<float> x, Vector512<float> scale, out Vector512<float> gauss)
    {
        Vector512<float> a = Vector512.Min(Vector512.Abs(x), Vector512.Create(TailLimit));
        Vector512<float> h = a * a, l = Vector512.FusedMultiplyAdd(a, a, -h); // a^2 = h + l exactly
        Vector512<float> arg = Vector512.Create(-0.5f) * h;
        Vector512<float> n = Vector512.Round(arg * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), arg);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        r = Vector512.FusedMultiplyAdd(l, Vector512.Create(-0.5f), r);
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.Create(E7), r, Vector512.Create(E6));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(E5));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(E4));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(E3));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(0.5f));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512<float>.One);
        Vector512<float> e1 = q * r; // e^r = 1 + e1

        Vector512<float> half = Vector512.Create(0.5f) * a;
        Vector512<float> d = half + Vector512<float>.One, b = d - Vector512<float>.One;
        Vector512<float> ed = (Vector512<float>.One - (d - b)) + (half - b); // 1 + a/2 = d + ed exactly
        Vector512<float> t = Vector512<float>.One / d;
        Vector512<float> s = (t - Vector512.Create(TMid)) * Vector512.Create(TInvHalf);
        Vector512<float> sum = Vector512.FusedMultiplyAdd(Vector512.Create(S10), s, Vector512.Create(S9));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S8));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S7));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S6));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S5));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S4));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S3));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S2));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S1));
        sum = Vector512.FusedMultiplyAdd(sum, s, Vector512.Create(S0));

        // w = scale / (1 + a/2) with the roundings of d and of the division corrected; then w sum (1 + e1) with w sum split exactly.
        Vector512<float> w = scale / d;
        w += (Vector512.FusedMultiplyAdd(-w, d, scale) - (w * ed)) / d;
        Vector512<float> pr = w * sum, pe = Vector512.FusedMultiplyAdd(w, sum, -pr);
        Vector512<float> core = Vector512.FusedMultiplyAdd(pr, e1, pe) + pr;

        // 2^n as 2^(n+64) here (exact, normal) and 2^-64 in the caller, so a subnormal result is rounded once; 0 beyond TailLimit.
        Vector512<float> pow = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127 + 64), 23).AsSingle();
        pow = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(x), Vector512.Create(TailLimit)), Vector512<float>.Zero, pow);
        gauss = pow * Vector512.FusedMultiplyAdd(q, r, Vector512<float>.One);
        return core * pow;
    }

    /// <summary><c>x Phi(x)</c> per lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x)
    {
        Vector256<float> left = Vector256.LessThan(x, Vector256<float>.Zero);
        Vector256<float> tail = LowerTail(x, Vector256.ConditionalSelect(left, x, Vector256<float>.One), out _) * Vector256.Create(TwoToMinus64);
        Vector256<float> outer = Vector256.ConditionalSelect(left, tail, x * (Vector256<float>.One - tail));
        Vector256<float> central = Vector256.FusedMultiplyAdd(x * CentralP(x), x, Vector256.Create(0.5f) * x); // x/2 + x^2 P, one rounding
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(Vector256.Abs(x), Vector256.Create(CentralLimit)), central, outer);
    }

    /// <summary><c>Phi(x) + x phi(x)</c> per lane, the derivative of <c>x Phi(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x)
    {
        // Both tail terms carry 2^64 (see LowerTail), removed last, so a subnormal left-tail derivative is rounded once.
        Vector256<float> tail = LowerTail(x, Vector256<float>.One, out Vector256<float> gauss), xc = x * Vector256.Create(InvSqrt2Pi);
        Vector256<float> leftTail = Vector256.FusedMultiplyAdd(xc, gauss, tail) * Vector256.Create(TwoToMinus64);
        Vector256<float> central = Vector256.LessThanOrEqual(Vector256.Abs(x), Vector256.Create(CentralLimit));
        Vector256<float> upper = Vector256<float>.One - (tail * Vector256.Create(TwoToMinus64));
        Vector256<float> cdf = Vector256.ConditionalSelect(central, Vector256.FusedMultiplyAdd(x, CentralP(x), Vector256.Create(0.5f)), upper);
        Vector256<float> inner = Vector256.FusedMultiplyAdd(xc, gauss * Vector256.Create(TwoToMinus64), cdf);
        return Vector256.ConditionalSelect(Vector256.AndNot(Vector256.LessThan(x, Vector256<float>.Zero), central), leftTail, inner);
    }

    // P(x^2) of Phi(x) = 1/2 + x P(x^2): no cancellation while |x| <= 0.6 (Phi >= 0.27).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> CentralP(Vector256<float> x)
    {
        Vector256<float> v = x * x;
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(P6), v, Vector256.Create(P5));
        p = Vector256.FusedMultiplyAdd(p, v, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, v, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, v, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, v, Vector256.Create(P1));
        return Vector256.FusedMultiplyAdd(p, v, Vector256.Create(P0));
    }

    // 2^64 scale Phi(-|x|) = 2^64 scale e^(-x^2/2) t S(t) with t = 1 / (1 + |x|/2), and gauss = 2^64 e^(-x^2/2) (see the
    // class remarks); the callers multiply by 2^-64 last.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LowerTail(Vector256<float> x, Vector256<float> scale, out Vector256<float> gauss)
    {
        Vector256<float> a = Vector256.Min(Vector256.Abs(x), Vector256.Create(TailLimit));
        Vector256<float> h = a * a, l = Vector256.FusedMultiplyAdd(a, a, -h); // a^2 = h + l exactly
        Vector256<float> arg = Vector256.Create(-0.5f) * h;
        Vector256<float> n = Vector256.Round(arg * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), arg);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        r = Vector256.FusedMultiplyAdd(l, Vector256.Create(-0.5f), r);
        Vector256<float> q = Vector256.FusedMultiplyAdd(Vector256.Create(E7), r, Vector256.Create(E6));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(E5));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(E4));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(E3));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(0.5f));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256<float>.One);
        Vector256<float> e1 = q * r; // e^r = 1 + e1

        Vector256<float> half = Vector256.Create(0.5f) * a;
        Vector256<float> d = half + Vector256<float>.One, b = d - Vector256<float>.One;
        Vector256<float> ed = (Vector256<float>.One - (d - b)) + (half - b); // 1 + a/2 = d + ed exactly
        Vector256<float> t = Vector256<float>.One / d;
        Vector256<float> s = (t - Vector256.Create(TMid)) * Vector256.Create(TInvHalf);
        Vector256<float> sum = Vector256.FusedMultiplyAdd(Vector256.Create(S10), s, Vector256.Create(S9));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S8));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S7));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S6));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S5));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S4));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S3));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S2));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S1));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(S0));

        // w = scale / (1 + a/2) with the roundings of d and of the division corrected; then w sum (1 + e1) with w sum split exactly.
        Vector256<float> w = scale / d;
        w += (Vector256.FusedMultiplyAdd(-w, d, scale) - (w * ed)) / d;
        Vector256<float> pr = w * sum, pe = Vector256.FusedMultiplyAdd(w, sum, -pr);
        Vector256<float> core = Vector256.FusedMultiplyAdd(pr, e1, pe) + pr;

        // 2^n as 2^(n+64) here (exact, normal) and 2^-64 in the caller, so a subnormal result is rounded once; 0 beyond TailLimit.
        Vector256<float> pow = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127 + 64), 23).AsSingle();
        pow = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(Vector256.Abs(x), Vector256.Create(TailLimit)), Vector256<float>.Zero, pow);
        gauss = pow * Vector256.FusedMultiplyAdd(q, r, Vector256<float>.One);
        return core * pow;
    }

    /// <summary><c>x Phi(x)</c> per lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gelu(Vector128<float> x)
    {
        Vector128<float> left = Vector128.LessThan(x, Vector128<float>.Zero);
        Vector128<float> tail = LowerTail(x, Vector128.ConditionalSelect(left, x, Vector128<float>.One), out _) * Vector128.Create(TwoToMinus64);
        Vector128<float> outer = Vector128.ConditionalSelect(left, tail, x * (Vector128<float>.One - tail));
        Vector128<float> central = Vector128.FusedMultiplyAdd(x * CentralP(x), x, Vector128.Create(0.5f) * x); // x/2 + x^2 P, one rounding
        return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(Vector128.Abs(x), Vector128.Create(CentralLimit)), central, outer);
    }

    /// <summary><c>Phi(x) + x phi(x)</c> per lane, the derivative of <c>x Phi(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Derivative(Vector128<float> x)
    {
        // Both tail terms carry 2^64 (see LowerTail), removed last, so a subnormal left-tail derivative is rounded once.
        Vector128<float> tail = LowerTail(x, Vector128<float>.One, out Vector128<float> gauss), xc = x * Vector128.Create(InvSqrt2Pi);
        Vector128<float> leftTail = Vector128.FusedMultiplyAdd(xc, gauss, tail) * Vector128.Create(TwoToMinus64);
        Vector128<float> central = Vector128.LessThanOrEqual(Vector128.Abs(x), Vector128.Create(CentralLimit));
        Vector128<float> upper = Vector128<float>.One - (tail * Vector128.Create(TwoToMinus64));
        Vector128<float> cdf = Vector128.ConditionalSelect(central, Vector128.FusedMultiplyAdd(x, CentralP(x), Vector128.Create(0.5f)), upper);
        Vector128<float> inner = Vector128.FusedMultiplyAdd(xc, gauss * Vector128.Create(TwoToMinus64), cdf);
        return Vector128.ConditionalSelect(Vector128.AndNot(Vector128.LessThan(x, Vector128<float>.Zero), central), leftTail, inner);
    }

    // P(x^2) of Phi(x) = 1/2 + x P(x^2): no cancellation while |x| <= 0.6 (Phi >= 0.27).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> CentralP(Vector128<float> x)
    {
        Vector128<float> v = x * x;
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(P6), v, Vector128.Create(P5));
        p = Vector128.FusedMultiplyAdd(p, v, Vector128.Create(P4));
        p = Vector128.FusedMultiplyAdd(p, v, Vector128.Create(P3));
        p = Vector128.FusedMultiplyAdd(p, v, Vector128.Create(P2));
        p = Vector128.FusedMultiplyAdd(p, v, Vector128.Create(P1));
        return Vector128.FusedMultiplyAdd(p, v, Vector128.Create(P0));
    }

    // 2^64 scale Phi(-|x|) = 2^64 scale e^(-x^2/2) t S(t) with t = 1 / (1 + |x|/2), and gauss = 2^64 e^(-x^2/2) (see the
    // class remarks); the callers multiply by 2^-64 last.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LowerTail(Vector128<float> x, Vector128<float> scale, out Vector128<float> gauss)
    {
        Vector128<float> a = Vector128.Min(Vector128.Abs(x), Vector128.Create(TailLimit));
        Vector128<float> h = a * a, l = Vector128.FusedMultiplyAdd(a, a, -h); // a^2 = h + l exactly
        Vector128<float> arg = Vector128.Create(-0.5f) * h;
        Vector128<float> n = Vector128.Round(arg * Vector128.Create(Log2E));
        Vector128<float> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), arg);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);
        r = Vector128.FusedMultiplyAdd(l, Vector128.Create(-0.5f), r);
        Vector128<float> q = Vector128.FusedMultiplyAdd(Vector128.Create(E7), r, Vector128.Create(E6));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(E5));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(E4));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(E3));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(0.5f));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128<float>.One);
        Vector128<float> e1 = q * r; // e^r = 1 + e1

        Vector128<float> half = Vector128.Create(0.5f) * a;
        Vector128<float> d = half + Vector128<float>.One, b = d - Vector128<float>.One;
        Vector128<float> ed = (Vector128<float>.One - (d - b)) + (half - b); // 1 + a/2 = d + ed exactly
        Vector128<float> t = Vector128<float>.One / d;
        Vector128<float> s = (t - Vector128.Create(TMid)) * Vector128.Create(TInvHalf);
        Vector128<float> sum = Vector128.FusedMultiplyAdd(Vector128.Create(S10), s, Vector128.Create(S9));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S8));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S7));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S6));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S5));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S4));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S3));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S2));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S1));
        sum = Vector128.FusedMultiplyAdd(sum, s, Vector128.Create(S0));

        // w = scale / (1 + a/2) with the roundings of d and of the division corrected; then w sum (1 + e1) with w sum split exactly.
        Vector128<float> w = scale / d;
        w += (Vector128.FusedMultiplyAdd(-w, d, scale) - (w * ed)) / d;
        Vector128<float> pr = w * sum, pe = Vector128.FusedMultiplyAdd(w, sum, -pr);
        Vector128<float> core = Vector128.FusedMultiplyAdd(pr, e1, pe) + pr;

        // 2^n as 2^(n+64) here (exact, normal) and 2^-64 in the caller, so a subnormal result is rounded once; 0 beyond TailLimit.
        Vector128<float> pow = Vector128.ShiftLeft(Vector128.ConvertToInt32(n) + Vector128.Create(127 + 64), 23).AsSingle();
        pow = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(Vector128.Abs(x), Vector128.Create(TailLimit)), Vector128<float>.Zero, pow);
        gauss = pow * Vector128.FusedMultiplyAdd(q, r, Vector128<float>.One);
        return core * pow;
    }
}
