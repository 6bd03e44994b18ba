using System;
using System.Runtime.CompilerServices;

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
/// x^2/2 float ulps: 50 at x = -10). The exponential reduces <c>-h/2 = n ln2 + r</c> (<see cref="FloatExpLanes"/>), adds -l/2
/// to r and keeps <c>e^r = 1 + e1</c> unrounded into the last fused step. <c>2^n</c> is applied last by
/// <see cref="IFloatLanes{TVector}.ScaleB"/> (one vscalefps on AVX-512), so results in the subnormal range are rounded once. <c>Phi(|x|) = 1 - Phi(-|x|)</c>.</para>
/// <para>Worst measured: 3.0 ulp forward over 200,000 inputs (GeluFloatLanesTests), 1.66 in the accuracy sweep (the
/// double-lane fit it replaces: 2.07, at twice the work per element). Fits: weighted least squares, QR in double.</para>
/// </remarks>
internal static class GeluFloatLanes
{
    public const float InvSqrt2Pi = 0.398942280f;
    private const float CentralLimit = 0.6f, TailLimit = 15f;
    private const float TMid = 0.44634378f, TInvHalf = 3.0970588f;

    // P and S, lowest power first (evaluated by Polynomial, which keeps them out of the vector registers).
    private static ReadOnlySpan<float> P =>
        [0.3989423f, -0.06649038f, 0.009973518f, -0.001186878f, 0.00011307272f, -3.7042525E-06f, -4.601011E-06f];

    private static ReadOnlySpan<float> S =>
        [0.31861052f, 0.104603186f, 0.008444569f, -0.0048069386f, -0.00038024844f, 0.00043461885f, -3.9024686E-05f,
         -3.769295E-05f, 1.4047787E-05f, 1.4719618E-06f, -1.732456E-06f];

    /// <summary><c>x Phi(x)</c> per lane (see the class remarks), on vectors of any width <typeparamref name="L"/> implements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Gelu<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TailParts<TV, L>(x, out TV n, out TV t, out TV d, out TV ed, out TV sum, out TV e1, out TV keep, out _);
        return GeluFrom<TV, L>(x, CentralP<TV, L>(x), n, t, d, ed, sum, e1, keep);
    }

    /// <summary><c>Phi(x) + x phi(x)</c> per lane, the derivative of <c>x Phi(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TailParts<TV, L>(x, out TV n, out TV t, out TV d, out TV ed, out TV sum, out TV e1, out TV keep, out TV gauss);
        return DerivativeFrom<TV, L>(x, CentralP<TV, L>(x), n, ScaledTail<TV, L>(L.Create(1f), t, d, ed, sum, e1, keep), gauss);
    }

    /// <summary>
    /// <c>x Phi(x)</c> and its derivative <c>Phi(x) + x phi(x)</c> per lane, sharing the exponential, the division and
    /// both polynomials: each bit for bit what <see cref="Gelu{TV, L}"/> and <see cref="Derivative{TV, L}"/> return.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV GeluAndDerivative<TV, L>(TV x, out TV derivative)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TailParts<TV, L>(x, out TV n, out TV t, out TV d, out TV ed, out TV sum, out TV e1, out TV keep, out TV gauss);
        TV p = CentralP<TV, L>(x);
        derivative = DerivativeFrom<TV, L>(x, p, n, ScaledTail<TV, L>(L.Create(1f), t, d, ed, sum, e1, keep), gauss);
        return GeluFrom<TV, L>(x, p, n, t, d, ed, sum, e1, keep);
    }

    // x Phi(x) from TailParts and p = CentralP(x). The left tail takes x into the corrected product (see ScaledTail),
    // so x Phi(x) is rounded once there.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV GeluFrom<TV, L>(TV x, TV p, TV n, TV t, TV d, TV ed, TV sum, TV e1, TV keep)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV one = L.Create(1f), left = L.LessThan(x, L.Create(0f));
        TV tail = L.ScaleB(ScaledTail<TV, L>(L.Select(left, x, one), t, d, ed, sum, e1, keep), n);
        TV outer = L.Select(left, tail, L.Multiply(x, L.Subtract(one, tail)));
        TV central = L.Fma(L.Multiply(x, p), x, L.Multiply(L.Create(0.5f), x)); // x/2 + x^2 P, one rounding
        return L.Select(L.LessThanOrEqual(L.Abs(x), L.Create(CentralLimit)), central, outer);
    }

    // Phi(x) + x phi(x) from p = CentralP(x), 2^n, tail = Phi(-|x|) and gauss = e^(-x^2/2), both still without 2^n:
    // it is applied last, so a subnormal left-tail derivative is rounded once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV DerivativeFrom<TV, L>(TV x, TV p, TV n, TV tail, TV gauss)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV xc = L.Multiply(x, L.Create(InvSqrt2Pi));
        TV leftTail = L.ScaleB(L.Fma(xc, gauss, tail), n);
        TV central = L.LessThanOrEqual(L.Abs(x), L.Create(CentralLimit));
        TV upper = L.Subtract(L.Create(1f), L.ScaleB(tail, n));
        TV cdf = L.Select(central, L.Fma(x, p, L.Create(0.5f)), upper);
        TV inner = L.Fma(xc, L.ScaleB(gauss, n), cdf);
        return L.Select(L.AndNot(L.LessThan(x, L.Create(0f)), central), leftTail, inner);
    }

    // P(x^2) of Phi(x) = 1/2 + x P(x^2): no cancellation while |x| <= 0.6 (Phi >= 0.27).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV CentralP<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV v = L.Multiply(x, x);
        return Polynomial.Evaluate<TV, L>(P, v);
    }

    // What Phi(-|x|) = e^(-x^2/2) t S(t), t = 1 / (1 + |x|/2), needs whatever it is multiplied by (see the class
    // remarks): 2^n, e^r = 1 + e1, d + ed = 1 + |x|/2 exactly, t, S(t), gauss = e^(-x^2/2) without its 2^n, and keep,
    // 0 from |x| = TailLimit on (a factor, so the sign of a zero and a NaN stay), else 1.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TailParts<TV, L>(TV x, out TV n, out TV t, out TV d, out TV ed, out TV sum, out TV e1, out TV keep, out TV gauss)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV one = L.Create(1f), a = L.Min(L.Create(TailLimit), L.Abs(x));
        TV h = L.Multiply(a, a), l = L.FmaSubtract(a, a, h); // a^2 = h + l exactly
        TV arg = L.Multiply(L.Create(-0.5f), h);
        TV r = L.Fma(l, L.Create(-0.5f), FloatExpLanes.Reduce<TV, L>(arg, out n));
        TV q = FloatExpLanes.Quotient<TV, L>(r);
        e1 = L.Multiply(q, r); // e^r = 1 + e1

        TV half = L.Multiply(L.Create(0.5f), a);
        d = L.Add(half, one);
        TV b = L.Subtract(d, one);
        ed = L.Add(L.Subtract(one, L.Subtract(d, b)), L.Subtract(half, b)); // 1 + a/2 = d + ed exactly
        t = L.Divide(one, d);
        TV s = L.Multiply(L.Subtract(t, L.Create(TMid)), L.Create(TInvHalf));
        sum = Polynomial.Evaluate<TV, L>(S, s);
        keep = L.Select(L.GreaterThanOrEqual(L.Abs(x), L.Create(TailLimit)), L.Create(0f), one);
        gauss = L.Multiply(keep, L.Fma(q, r, one));
    }

    // scale Phi(-|x|) without its 2^n, from TailParts. w = scale / (1 + a/2): scale t, then one correction step for the
    // roundings of d and of t, multiplied by t rather than divided by d (the correction is a few ulp of w, so t's
    // rounding in it is far below w's). Then w sum (1 + e1) with w sum split exactly.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScaledTail<TV, L>(TV scale, TV t, TV d, TV ed, TV sum, TV e1, TV keep)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV w = L.Multiply(scale, t);
        w = L.Add(w, L.Multiply(L.Subtract(L.FmaNegated(w, d, scale), L.Multiply(w, ed)), t));
        TV pr = L.Multiply(w, sum), pe = L.FmaSubtract(w, sum, pr);
        TV core = L.Add(L.Fma(pr, e1, pe), pr);
        return L.Multiply(core, keep);
    }
}
