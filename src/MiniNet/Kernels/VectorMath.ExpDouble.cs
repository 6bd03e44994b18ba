using System;
using System.Runtime.CompilerServices;

namespace MiniNet;

/// <content>
/// <c>e^x</c> of double lanes to the last bits, MiniNet's own: CoreLib's <c>Vector512.Exp(Vector512&lt;double&gt;)</c>
/// (.NET 10) is not inlined, and the vector it gets and returns goes through the 16-byte-aligned stack; where such a
/// slot straddles a cache line (per process, from the stack's alignment) store-to-load forwarding fails and every double
/// exp, tanh, sigmoid, softplus and BCE ran 2-3x slower (256K doubles, exp: 212-234 us against 716-756 us).
/// </content>
/// <remarks>
/// <c>x = n ln2 + r</c>, <c>n = round(x / ln2)</c> found by adding <c>1.5 * 2^52</c>, r by two fused multiply-adds with ln2
/// in two parts (ln2 cut to 32 significant bits and the double nearest the rest; <c>|r| &lt;= ln2/2</c>), <c>e^r = 1 + r q(r)</c> with q the Taylor series to <c>r^12/13!</c>
/// (truncation <c>r^14/14! &lt; 5e-18</c>), and <c>2^n</c> applied as <c>2^h 2^(n-h)</c>, <c>h = round(n/2)</c>: both factors
/// are normal doubles for every n in [-1076, 1024], the first product is exact, so a result in the subnormal range is
/// rounded once. x is clamped to [-746, 710] (beyond: 0 and +inf follow from the scaling); NaN gives NaN.
/// Within 4 ulp in every range of the accuracy sweep (docs/accuracy.md).
/// </remarks>
internal static partial class VectorMath
{
    private const double Ln2HiDouble = 6.93147180369123816490e-01, Ln2LoDouble = 1.90821492927058770002e-10;
    private const double ExpDoubleMin = -746, ExpDoubleMax = 710;

    // 1/k! for k = 1 up to 13, lowest power first: q(r) = sum r^(k-1) / k!.
    private static ReadOnlySpan<double> ExpQuotient =>
        [1.0, 0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,
         1.984126984126984e-4, 2.48015873015873e-5, 2.7557319223985893e-6, 2.755731922398589e-7,
         2.505210838544172e-8, 2.08767569878681e-9, 1.6059043836821613e-10];

    /// <summary><c>e^x</c> per lane, double (see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ExpDouble<TVector, TLanes>(TVector x)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        TVector r = ReduceLn2<TVector, TLanes>(TLanes.Min(TLanes.Max(x, TLanes.Create(ExpDoubleMin)), TLanes.Create(ExpDoubleMax)), out TVector k);
        TVector n = TLanes.Subtract(k, TLanes.Create(RoundingShift));
        TVector p = TLanes.Fma(Polynomial.Evaluate<TVector, TLanes>(ExpQuotient, r), r, TLanes.Create(1));
        TVector h = TLanes.Fma(n, TLanes.Create(0.5), TLanes.Create(RoundingShift)); // round(n/2) + shift
        TVector rest = TLanes.Add(TLanes.Subtract(n, TLanes.Subtract(h, TLanes.Create(RoundingShift))), TLanes.Create(RoundingShift));
        TVector y = TLanes.Multiply(TLanes.Multiply(p, TLanes.TwoToTheRounded(h, RoundingShift)), TLanes.TwoToTheRounded(rest, RoundingShift));
        y = TLanes.Select(TLanes.LessThan(x, TLanes.Create(ExpDoubleMin)), TLanes.Create(0), y);
        y = TLanes.Select(TLanes.GreaterThan(x, TLanes.Create(ExpDoubleMax)), TLanes.Create(double.PositiveInfinity), y);
        return TLanes.Select(TLanes.GreaterThanOrEqual(x, TLanes.Create(double.NegativeInfinity)), y, x); // NaN stays NaN
    }

    // r = c - n ln2 (|r| <= ln2/2) with ln2 in two parts, n = round(c / ln2) found by adding 1.5 * 2^52: k = n + that
    // shift, whose low bits are n (for TwoToTheRounded). ExpDouble and ExpForFloat reduce alike.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ReduceLn2<TVector, TLanes>(TVector c, out TVector k)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        k = TLanes.Fma(c, TLanes.Create(Log2EDouble), TLanes.Create(RoundingShift));
        TVector n = TLanes.Subtract(k, TLanes.Create(RoundingShift));
        return TLanes.Fma(n, TLanes.Create(-Ln2LoDouble), TLanes.Fma(n, TLanes.Create(-Ln2HiDouble), c));
    }
}
