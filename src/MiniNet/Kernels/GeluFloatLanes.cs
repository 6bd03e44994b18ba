using System;
using System.Runtime.CompilerServices;

namespace MiniNet;

/// <summary>
/// The exact GELU of float tensors, <c>x Phi(x)</c>, and its derivative in float lanes (16 per Vector512), within
/// 4 float ulp of the exact result down to the subnormals (docs/accuracy.md).
/// </summary>
/// <remarks>
/// <para>For every x: <c>Phi(-|x|) = e^(-x^2/2) t S(t)</c>, <c>t = 1 / (1 + |x|/2)</c>, S a degree-11 fit in
/// <c>s = t TInvHalf - SShift</c>, which spans [-1, 1] for |x| in [0, 15] (relative error 1.7e-8 with the float
/// coefficients; S lies between 0.22 and 0.5 without cancelling terms). <c>Phi(|x|) = 1 - Phi(-|x|)</c>, formed as
/// <c>x - |x| Phi(-|x|)</c> with one rounding. Until 2026-12-04 a second polynomial served |x| &lt;= 0.6 and S
/// covered only the tail; one fit for the whole line takes a quarter less time per element (the kernel is bound by
/// its operations) for up to 1.6 ulp where the central polynomial gave 0.7.</para>
/// <para>Exactness where float rounding would cost most: <c>x^2/2</c> is split into <c>hp + lp</c> with a fused
/// multiply-add so that <c>e^(-x^2/2)</c> sees the exact square (a rounded x^2 costs x^2/2 float ulps: 50 at x = -10);
/// the exponential reduces hp by <see cref="FloatExpLanes"/>, subtracts lp from the remainder and keeps
/// <c>e^r = 1 + q r</c> unrounded into the last fused step; <c>1 + |x|/2 = d + ed</c> exactly and the quotient is
/// <c>t (1 + res)</c> after one Newton step, res also kept out of the rounding; <c>2^n</c> is applied last by
/// <see cref="IFloatLanes{TVector}.ScaleB"/> (one vscalefps on AVX-512), so results in the subnormal range round once.</para>
/// <para>Worst measured: 2.55 ulp forward over 200,000 inputs (GeluFloatLanesTests), 1.67 in the accuracy sweep.
/// Fits: relative least squares with Lawson reweighting, QR in double, coefficients rounded to float one at a time
/// with the rest refitted.</para>
/// </remarks>
internal static class GeluFloatLanes
{
    public const float InvSqrt2Pi = 0.398942280f;
    private const float TailLimit = 15f;

    // s = t TInvHalf - SShift spans [-1, 1] for t in [1/8.5, 1] (|x| from 15 down to 0).
    private const float TInvHalf = 2.2666667f, SShift = 1.2666667f;

    // S, lowest power first (evaluated by Polynomial, which keeps the coefficients out of the vector registers).
    // Its float evaluation at t = 1 is exactly 1/2, so Phi(-|x|) is exactly 1/2 wherever 1 + |x|/2 rounds to 1.
    private static ReadOnlySpan<float> S =>
        [0.3558678f, 0.14852592f, 0.006190378f, -0.012391371f, 0.0009242302f, 0.0013876737f, -0.00054895284f,
         -2.6143605E-05f, 0.00011332484f, -4.2355412E-05f, -8.954772E-06f, 8.445535E-06f];

    /// <summary><c>x Phi(x)</c> per lane (see the class remarks), on vectors of any width <typeparamref name="L"/> implements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Gelu<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV pr = LeftTail<TV, L>(x, out TV lo, out TV n, out _);
        return GeluFrom<TV, L>(x, pr, lo, n);
    }

    /// <summary><c>Phi(x) + x phi(x)</c> per lane, the derivative of <c>x Phi(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV pr = LeftTail<TV, L>(x, out TV lo, out TV n, out TV gauss);
        return DerivativeFrom<TV, L>(x, L.Add(pr, lo), n, gauss);
    }

    /// <summary>
    /// <c>x Phi(x)</c> and its derivative <c>Phi(x) + x phi(x)</c> per lane, sharing the exponential, the division and
    /// the polynomial: each bit for bit what <see cref="Gelu{TV, L}"/> and <see cref="Derivative{TV, L}"/> return.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV GeluAndDerivative<TV, L>(TV x, out TV derivative)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV pr = LeftTail<TV, L>(x, out TV lo, out TV n, out TV gauss);
        derivative = DerivativeFrom<TV, L>(x, L.Add(pr, lo), n, gauss);
        return GeluFrom<TV, L>(x, pr, lo, n);
    }

    // x Phi(x) from Phi(-|x|) = pr + lo without its 2^n (see LeftTail): for x < 0, x pr + x lo with one rounding
    // of the sum (x lo is at most 0.41 of it), 2^n applied last so a subnormal result rounds once; otherwise x - x Phi(-|x|), one rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV GeluFrom<TV, L>(TV x, TV pr, TV lo, TV n)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV left = L.ScaleB(L.Fma(x, pr, L.Multiply(x, lo)), n);
        TV right = L.FmaNegated(L.Min(L.Create(TailLimit), L.Abs(x)), L.ScaleB(L.Add(pr, lo), n), x); // |x| for x >= 0, and inf - 15 * 0 at x = inf
        return L.Select(L.LessThan(x, L.Create(0f)), left, right);
    }

    // Phi(x) + x phi(x) from core = Phi(-|x|) and gauss = e^(-x^2/2), both without their 2^n. For x < 0 the two terms
    // are summed before 2^n is applied, so a subnormal derivative rounds once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV DerivativeFrom<TV, L>(TV x, TV core, TV n, TV gauss)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV xc = L.Multiply(x, L.Create(InvSqrt2Pi));
        TV left = L.ScaleB(L.Fma(xc, gauss, core), n);
        TV right = L.Fma(xc, L.ScaleB(gauss, n), L.Subtract(L.Create(1f), L.ScaleB(core, n)));
        return L.Select(L.LessThan(x, L.Create(0f)), left, right);
    }

    // Phi(-a) = e^(-a^2/2) t S(t), a = min(|x|, TailLimit), t = 1 / (1 + a/2) (see the class remarks), as the
    // unrounded sum of the returned pr and lo, without its 2^n (n). gauss = e^(-a^2/2) without 2^n. All are 0 from
    // |x| = TailLimit on (a factor, so a NaN stays and x = -inf gives -inf * 0 = NaN as the definition does).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LeftTail<TV, L>(TV x, out TV lo, out TV n, out TV gauss)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV one = L.Create(1f), a = L.Min(L.Create(TailLimit), L.Abs(x)), half = L.Multiply(L.Create(0.5f), a);

        // e^(-a^2/2) = 2^n (1 + q r): a^2/2 = hp + lp exactly, hp reduced to hp - m ln2 (m = -n), r = -(that + lp).
        TV hp = L.Multiply(half, a), lp = L.FmaSubtract(half, a, hp);
        TV r = L.Negate(L.Add(FloatExpLanes.Reduce<TV, L>(hp, out TV m), lp));
        n = L.Negate(m);
        TV q = FloatExpLanes.Quotient<TV, L>(r);

        // 1 + a/2 = d + ed exactly: d >= 1, so d - 1 is exact, and so is half - (d - 1) (the two are within a factor 2).
        TV d = L.Add(half, one);
        TV ed = L.Subtract(half, L.Subtract(d, one));
        TV beyond = L.GreaterThanOrEqual(L.Abs(x), L.Create(TailLimit));
        TV t = L.AndNot(L.Divide(one, d), beyond);
        TV res = L.FmaNegated(t, ed, L.FmaNegated(t, d, one)); // 1 / (d + ed) = t (1 + res) to one Newton step
        TV sum = Polynomial.Evaluate<TV, L>(S, L.FmaSubtract(t, L.Create(TInvHalf), L.Create(SShift)));

        // t (1 + res) sum (1 + q r) = pr + lo, with t sum split exactly (pr + pe), so neither the division's
        // correction nor 1 + q r is rounded before the sum.
        TV pr = L.Multiply(t, sum), pe = L.FmaSubtract(t, sum, pr);
        lo = L.Fma(pr, L.Multiply(q, r), L.Fma(res, pr, pe));
        gauss = L.AndNot(L.Fma(q, r, one), beyond);
        return pr;
    }
}
