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
    public static Vector512<float> Gelu(Vector512<float> x) => Gelu<FloatLanes512, Vector512<float>>(x);

    /// <summary><c>x Phi(x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x) => Gelu<FloatLanes256, Vector256<float>>(x);

    /// <summary><c>x Phi(x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gelu(Vector128<float> x) => Gelu<FloatLanes128, Vector128<float>>(x);

    /// <summary><c>Phi(x) + x phi(x)</c> per lane, the derivative of <c>x Phi(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Derivative(Vector512<float> x) => Derivative<FloatLanes512, Vector512<float>>(x);

    /// <summary><c>Phi(x) + x phi(x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x) => Derivative<FloatLanes256, Vector256<float>>(x);

    /// <summary><c>Phi(x) + x phi(x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Derivative(Vector128<float> x) => Derivative<FloatLanes128, Vector128<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Gelu<V, TV>(TV x)
        where V : IFloatLanes<TV>
        where TV : struct
    {
        TV one = V.Create(1f), left = V.LessThan(x, V.Create(0f));
        TV tail = V.Multiply(LowerTail<V, TV>(x, V.Select(left, x, one), out _), V.Create(TwoToMinus64));
        TV outer = V.Select(left, tail, V.Multiply(x, V.Subtract(one, tail)));
        TV central = V.Fma(V.Multiply(x, CentralP<V, TV>(x)), x, V.Multiply(V.Create(0.5f), x)); // x/2 + x^2 P, one rounding
        return V.Select(V.LessThanOrEqual(V.Abs(x), V.Create(CentralLimit)), central, outer);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Derivative<V, TV>(TV x)
        where V : IFloatLanes<TV>
        where TV : struct
    {
        // Both tail terms carry 2^64 (see LowerTail), removed last, so a subnormal left-tail derivative is rounded once.
        TV one = V.Create(1f), scaleDown = V.Create(TwoToMinus64);
        TV tail = LowerTail<V, TV>(x, one, out TV gauss), xc = V.Multiply(x, V.Create(InvSqrt2Pi));
        TV leftTail = V.Multiply(V.Fma(xc, gauss, tail), scaleDown);
        TV central = V.LessThanOrEqual(V.Abs(x), V.Create(CentralLimit));
        TV upper = V.Subtract(one, V.Multiply(tail, scaleDown));
        TV cdf = V.Select(central, V.Fma(x, CentralP<V, TV>(x), V.Create(0.5f)), upper);
        TV inner = V.Fma(xc, V.Multiply(gauss, scaleDown), cdf);
        return V.Select(V.AndNot(V.LessThan(x, V.Create(0f)), central), leftTail, inner);
    }

    // P(x^2) of Phi(x) = 1/2 + x P(x^2): no cancellation while |x| <= 0.6 (Phi >= 0.27).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV CentralP<V, TV>(TV x)
        where V : IFloatLanes<TV>
        where TV : struct
    {
        TV v = V.Multiply(x, x);
        TV p = V.Fma(V.Create(P6), v, V.Create(P5));
        p = V.Fma(p, v, V.Create(P4));
        p = V.Fma(p, v, V.Create(P3));
        p = V.Fma(p, v, V.Create(P2));
        p = V.Fma(p, v, V.Create(P1));
        return V.Fma(p, v, V.Create(P0));
    }

    // 2^64 scale Phi(-|x|) = 2^64 scale e^(-x^2/2) t S(t) with t = 1 / (1 + |x|/2), and gauss = 2^64 e^(-x^2/2) (see the
    // class remarks); the callers multiply by 2^-64 last.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LowerTail<V, TV>(TV x, TV scale, out TV gauss)
        where V : IFloatLanes<TV>
        where TV : struct
    {
        TV one = V.Create(1f), half = V.Create(0.5f), minusHalf = V.Create(-0.5f);
        TV a = V.MinNative(V.Create(TailLimit), V.Abs(x)); // NaN stays NaN (x86: the second operand)
        TV h = V.Multiply(a, a), l = V.Fma(a, a, V.Negate(h)); // a^2 = h + l exactly
        TV arg = V.Multiply(minusHalf, h);
        TV n = V.Round(V.Multiply(arg, V.Create(Log2E)));
        TV r = V.Fma(n, V.Create(-Ln2Hi), arg);
        r = V.Fma(n, V.Create(-Ln2Lo), r);
        r = V.Fma(l, minusHalf, r);
        TV q = V.Fma(V.Create(E7), r, V.Create(E6));
        q = V.Fma(q, r, V.Create(E5));
        q = V.Fma(q, r, V.Create(E4));
        q = V.Fma(q, r, V.Create(E3));
        q = V.Fma(q, r, half);
        q = V.Fma(q, r, one);
        TV e1 = V.Multiply(q, r); // e^r = 1 + e1

        TV halfA = V.Multiply(half, a);
        TV d = V.Add(halfA, one), b = V.Subtract(d, one);
        TV ed = V.Add(V.Subtract(one, V.Subtract(d, b)), V.Subtract(halfA, b)); // 1 + a/2 = d + ed exactly
        TV t = V.Divide(one, d);
        TV s = V.Multiply(V.Subtract(t, V.Create(TMid)), V.Create(TInvHalf));
        TV sum = V.Fma(V.Create(S10), s, V.Create(S9));
        sum = V.Fma(sum, s, V.Create(S8));
        sum = V.Fma(sum, s, V.Create(S7));
        sum = V.Fma(sum, s, V.Create(S6));
        sum = V.Fma(sum, s, V.Create(S5));
        sum = V.Fma(sum, s, V.Create(S4));
        sum = V.Fma(sum, s, V.Create(S3));
        sum = V.Fma(sum, s, V.Create(S2));
        sum = V.Fma(sum, s, V.Create(S1));
        sum = V.Fma(sum, s, V.Create(S0));

        // w = scale / (1 + a/2) with the roundings of d and of the division corrected; then w sum (1 + e1) with w sum split
        // exactly. Both quotients are products with t (one division per lane: the correction makes up for the rounding).
        TV w = V.Multiply(scale, t);
        w = V.Add(w, V.Multiply(V.Subtract(V.Fma(V.Negate(w), d, scale), V.Multiply(w, ed)), t));
        TV pr = V.Multiply(w, sum), pe = V.Fma(w, sum, V.Negate(pr));
        TV core = V.Add(V.Fma(pr, e1, pe), pr);

        // 2^n as 2^(n+64) here (exact, normal) and 2^-64 in the caller, so a subnormal result is rounded once; 0 beyond TailLimit.
        TV pow = V.Select(V.LessThanOrEqual(V.Create(TailLimit), V.Abs(x)), V.Create(0f), V.PowerOfTwo(n, 64));
        gauss = V.Multiply(pow, V.Fma(q, r, one));
        return V.Multiply(core, pow);
    }
}
