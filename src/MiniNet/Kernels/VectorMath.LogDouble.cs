using System;
using System.Runtime.CompilerServices;

namespace MiniNet;

/// <content>
/// <c>ln x</c> of double lanes, MiniNet's own: CoreLib's <c>Vector512.Log(Vector512&lt;double&gt;)</c> (.NET 10) is
/// called out of line through the stack like its Exp (see <see cref="ExpDouble{TVector, TLanes}"/>): 464-497 us or
/// 1,073-1,087 us per 256K doubles depending on the stack's alignment.
/// </content>
/// <remarks>
/// The float kernel's method in double: <c>x = 2^k m</c>, m in [sqrt(1/2), sqrt 2) (subnormal x scaled by 2^54 first),
/// <c>f = m - 1</c> (exact), <c>s = f / (2 + f)</c>, and <c>ln(1 + f) = 2 atanh s = f - f^2/2 + s (f^2/2 + R)</c> with
/// <c>R = sum 2 s^2j / (2j + 1)</c> for j = 1 to 11 (|s| &lt;= 0.172: the first term left out is below 1e-18 of the
/// result), then <c>+ k ln2</c> with ln2 in two parts. 0 gives -inf, a negative x or -inf gives NaN, +inf gives +inf,
/// NaN gives NaN. Within 4 ulp in every range of the accuracy sweep (docs/accuracy.md).
/// </remarks>
internal static partial class VectorMath
{
    /// <summary>The bits of sqrt(1/2) in double.</summary>
    internal const long SqrtHalfBitsDouble = 0x3FE6A09E667F3BCD;

    private const double MinNormalDouble = 2.2250738585072014e-308, TwoTo54 = 18014398509481984.0;

    // 2 / (2j + 1) for j = 1 to 11, lowest power of s^2 first.
    private static ReadOnlySpan<double> AtanhSeries =>
        [2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21, 2.0 / 23];

    /// <summary><c>ln x</c> per lane, double (see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector LogDouble<TVector, TLanes>(TVector x)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        TVector subnormal = TLanes.LessThan(x, TLanes.Create(MinNormalDouble));
        TVector m = TLanes.SplitExponent(TLanes.Select(subnormal, TLanes.Multiply(x, TLanes.Create(TwoTo54)), x), out TVector k);
        k = TLanes.Subtract(k, TLanes.Select(subnormal, TLanes.Create(54), TLanes.Create(0)));
        TVector f = TLanes.Subtract(m, TLanes.Create(1));
        TVector s = TLanes.Divide(f, TLanes.Add(TLanes.Create(2), f));
        TVector z = TLanes.Multiply(s, s);
        TVector r = TLanes.Multiply(Polynomial.Evaluate<TVector, TLanes>(AtanhSeries, z), z);
        TVector hfsq = TLanes.Multiply(TLanes.Multiply(TLanes.Create(0.5), f), f);
        TVector low = TLanes.Fma(k, TLanes.Create(Ln2LoDouble), TLanes.Multiply(s, TLanes.Add(hfsq, r)));
        TVector value = TLanes.Fma(k, TLanes.Create(Ln2HiDouble), TLanes.Subtract(f, TLanes.Subtract(hfsq, low)));

        // x > 0: the value, or +inf itself; otherwise -inf at +-0, NaN below 0 and at NaN.
        TVector positive = TLanes.Select(TLanes.LessThan(x, TLanes.Create(double.PositiveInfinity)), value, x);
        TVector other = TLanes.Select(TLanes.GreaterThanOrEqual(x, TLanes.Create(0)), TLanes.Create(double.NegativeInfinity), TLanes.Create(double.NaN));
        return TLanes.Select(TLanes.GreaterThan(x, TLanes.Create(0)), positive, other);
    }
}
