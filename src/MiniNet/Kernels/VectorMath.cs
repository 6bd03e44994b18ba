using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// Inlinable float <c>exp</c> and <c>log</c> for 128-, 256- and 512-bit vectors, computed in float (CoreLib's
/// <c>VectorNNN.Exp/Log</c> for float go through double and are too large to inline). Double: MiniNet's own inlinable
/// kernels too (VectorMath.ExpDouble.cs, VectorMath.LogDouble.cs; CoreLib's are called out of line). Measured against <c>Math.Exp/Log</c> in double on every 997th float bit
/// pattern (VectorMathTests): at most 0.83 ulp for Exp (0.76 subnormal steps below 2^-126), 0.79 for Log and 0.83 for Log1P.
/// </summary>
/// <remarks>
/// <para>
/// Exp: <c>x = n ln2 + r</c> with <c>n = round(x / ln2)</c> and <c>|r| &lt;= ln2/2</c>; <c>r</c> comes from a Cody-Waite
/// split of ln2 (the low 9 mantissa bits of the high part are zero, so <c>n * Ln2Hi</c> is exact for every |n| &lt; 512). <c>e^r</c>
/// is its Taylor polynomial of degree 7 (truncation <c>r^8/8! &lt;= 5.2e-9</c>, 0.1 ulp, where degree 6 would cost
/// 1-2 ulp). The result <c>e^r 2^n</c> is built as <c>(e^r 2^(n/2)) 2^(n - n/2)</c>: the first factor by an integer
/// add to the exponent bits (exact), the second a power of two, so the one rounding happens in the final multiply.
/// This keeps results in the subnormal range (x down to -103.97) correctly rounded to about one subnormal step
/// instead of flushed, and makes overflow (x above 88.72) round to +inf by itself. x is clamped to
/// [-104, 89] first (outside it the result is 0 or +inf anyway), which keeps <c>n</c> within int range; NaN is passed through.
/// </para>
/// <para>
/// Log: <c>x = 2^k m</c> with <c>m</c> in [sqrt(1/2), sqrt(2)) (found by subtracting the bits of sqrt(1/2), so the
/// integer shift of the difference is k); subnormal x are scaled by 2^23 first. With <c>f = m - 1</c> (exact),
/// <c>s = f / (2 + f)</c> and <c>log(1 + f) = 2 atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ...</c>, and since <c>2s = f - s f</c>,
/// <c>log(1 + f) = f - (f^2/2 - s (f^2/2 + R))</c> with <c>R = 2s^2/3 + 2s^4/5 + ... + 2s^10/11</c> (|s| &lt;= 0.2, so
/// the dropped terms are below 4e-10 relative). The exact <c>f</c> leads and the rounding of <c>s</c> only touches the
/// small correction. The result is <c>k Ln2Hi + (log(1 + f) + k Ln2Lo)</c>. log(+-0) = -inf, log(x &lt; 0) = NaN,
/// log(+inf) = +inf, log(NaN) = NaN.
/// </para>
/// </remarks>
internal static partial class VectorMath
{
    // ln2 = Ln2Hi + Ln2Lo: Ln2Hi is ln2 cut to 15 significant bits (0x3F317200), Ln2Lo the float nearest the rest.
    // Exp's reduction by them (with Log2E = 1/ln2) is FloatExpLanes.Reduce.
    internal const float Ln2Hi = 0.693145751953125f;
    internal const float Ln2Lo = (float)(0.6931471805599453094 - 0.693145751953125);
    internal const float Log2E = 1.44269504088896341f;

    // Below ExpMin every result rounds to 0, above ExpMax to +inf; clamping keeps round(x / ln2) within [-150, 129].
    private const float ExpMin = -104f;
    private const float ExpMax = 89f;

    // The bits of sqrt(1/2): subtracting them from x's bits leaves k = floor(log2(x / sqrt(1/2))) in the exponent field.
    private const int SqrtHalfBits = 0x3F3504F3;
    private const float MinNormal = 1.17549435e-38f;
    private const float TwoTo23 = 8388608f;

    /// <summary><c>e^x</c> per lane, float (see the class remarks for the method and accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> c = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(ExpMin)), Vector512.Create(ExpMax));
        Vector512<float> r = FloatExpLanes.Reduce<Vector512<float>, FloatLanes512>(c, out Vector512<float> n);
        Vector512<float> p = Vector512.FusedMultiplyAdd(FloatExpLanes.Quotient<Vector512<float>, FloatLanes512>(r), r, Vector512<float>.One);

        Vector512<int> k = Vector512.ConvertToInt32Native(n);
        Vector512<int> half = Vector512.ShiftRightArithmetic(k, 1);
        Vector512<float> scaled = (p.AsInt32() + Vector512.ShiftLeft(half, 23)).AsSingle();
        Vector512<float> rest = Vector512.ShiftLeft(k - half + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), scaled * rest, x);
    }

    /// <summary><c>ln x</c> per lane, float (see the class remarks for the method, accuracy and special values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        Vector512<float> subnormal = Vector512.LessThan(x, Vector512.Create(MinNormal));
        Vector512<float> xs = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(TwoTo23), x);
        Vector512<int> k = Vector512.ShiftRightArithmetic(xs.AsInt32() - Vector512.Create(SqrtHalfBits), 23);
        Vector512<float> m = (xs.AsInt32() - Vector512.ShiftLeft(k, 23)).AsSingle();
        Vector512<float> e = Vector512.ConvertToSingle(k - (subnormal.AsInt32() & Vector512.Create(23)));

        Vector512<float> result = LogOnePlus(m - Vector512<float>.One, e);
        Vector512<float> inDomain = Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512.LessThan(x, Vector512.Create(float.PositiveInfinity));
        Vector512<float> special = Vector512.ConditionalSelect(
            Vector512.Equals(x, Vector512<float>.Zero),
            Vector512.Create(float.NegativeInfinity),
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512.Create(float.NaN), x));
        return Vector512.ConditionalSelect(inDomain, result, special);
    }

    /// <summary>
    /// <c>ln(1 + u)</c> per lane, float, for u in [sqrt(1/2) - 1, 1] (BCE's <c>log1p(exp(-|z|))</c>), without rounding
    /// <c>1 + u</c>: from 1/2 up, <c>1 + u = 2 (1 + f)</c> with <c>f = (u - 1) / 2</c>, exact by Sterbenz; below, f = u.
    /// NaN gives NaN; outside the range the result is unspecified.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1P(Vector512<float> u)
    {
        Vector512<float> upper = Vector512.GreaterThanOrEqual(u, Vector512.Create(0.5f));
        Vector512<float> f = Vector512.ConditionalSelect(upper, (u - Vector512<float>.One) * Vector512.Create(0.5f), u);
        return LogOnePlus(f, upper & Vector512<float>.One);
    }

    // e ln2 + log(1 + f) for |f / (2 + f)| <= 0.2 (see the class remarks); e is an integer held in a float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LogOnePlus(Vector512<float> f, Vector512<float> e)
    {
        Vector512<float> s = f / (Vector512.Create(2f) + f);
        Vector512<float> z = s * s;
        Vector512<float> r = Vector512.FusedMultiplyAdd(Vector512.Create(2f / 11), z, Vector512.Create(2f / 9));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2f / 7));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2f / 5));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2f / 3)) * z;
        Vector512<float> hfsq = Vector512.Create(0.5f) * f * f;
        Vector512<float> low = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Lo), s * (hfsq + r));
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Hi), f - (hfsq - low));
    }

    /// <summary><c>e^x</c> per lane, double (<see cref="ExpDouble{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x) => ExpDouble<Vector512<double>, DoubleLanes512>(x);

    /// <summary><c>ln x</c> per lane, double (<see cref="LogDouble{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x) => LogDouble<Vector512<double>, DoubleLanes512>(x);

    /// <summary><c>e^x</c> per lane, float (see the class remarks for the method and accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> c = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(ExpMin)), Vector256.Create(ExpMax));
        Vector256<float> r = FloatExpLanes.Reduce<Vector256<float>, FloatLanes256>(c, out Vector256<float> n);
        Vector256<float> p = Vector256.FusedMultiplyAdd(FloatExpLanes.Quotient<Vector256<float>, FloatLanes256>(r), r, Vector256<float>.One);

        Vector256<int> k = Vector256.ConvertToInt32Native(n);
        Vector256<int> half = Vector256.ShiftRightArithmetic(k, 1);
        Vector256<float> scaled = (p.AsInt32() + Vector256.ShiftLeft(half, 23)).AsSingle();
        Vector256<float> rest = Vector256.ShiftLeft(k - half + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), scaled * rest, x);
    }

    /// <summary><c>ln x</c> per lane, float (see the class remarks for the method, accuracy and special values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        Vector256<float> subnormal = Vector256.LessThan(x, Vector256.Create(MinNormal));
        Vector256<float> xs = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(TwoTo23), x);
        Vector256<int> k = Vector256.ShiftRightArithmetic(xs.AsInt32() - Vector256.Create(SqrtHalfBits), 23);
        Vector256<float> m = (xs.AsInt32() - Vector256.ShiftLeft(k, 23)).AsSingle();
        Vector256<float> e = Vector256.ConvertToSingle(k - (subnormal.AsInt32() & Vector256.Create(23)));

        Vector256<float> result = LogOnePlus(m - Vector256<float>.One, e);
        Vector256<float> inDomain = Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256.LessThan(x, Vector256.Create(float.PositiveInfinity));
        Vector256<float> special = Vector256.ConditionalSelect(
            Vector256.Equals(x, Vector256<float>.Zero),
            Vector256.Create(float.NegativeInfinity),
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(float.NaN), x));
        return Vector256.ConditionalSelect(inDomain, result, special);
    }

    /// <summary>
    /// <c>ln(1 + u)</c> per lane, float, for u in [sqrt(1/2) - 1, 1] (BCE's <c>log1p(exp(-|z|))</c>), without rounding
    /// <c>1 + u</c>: from 1/2 up, <c>1 + u = 2 (1 + f)</c> with <c>f = (u - 1) / 2</c>, exact by Sterbenz; below, f = u.
    /// NaN gives NaN; outside the range the result is unspecified.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1P(Vector256<float> u)
    {
        Vector256<float> upper = Vector256.GreaterThanOrEqual(u, Vector256.Create(0.5f));
        Vector256<float> f = Vector256.ConditionalSelect(upper, (u - Vector256<float>.One) * Vector256.Create(0.5f), u);
        return LogOnePlus(f, upper & Vector256<float>.One);
    }

    // e ln2 + log(1 + f) for |f / (2 + f)| <= 0.2 (see the class remarks); e is an integer held in a float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LogOnePlus(Vector256<float> f, Vector256<float> e)
    {
        Vector256<float> s = f / (Vector256.Create(2f) + f);
        Vector256<float> z = s * s;
        Vector256<float> r = Vector256.FusedMultiplyAdd(Vector256.Create(2f / 11), z, Vector256.Create(2f / 9));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(2f / 7));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(2f / 5));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(2f / 3)) * z;
        Vector256<float> hfsq = Vector256.Create(0.5f) * f * f;
        Vector256<float> low = Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Lo), s * (hfsq + r));
        return Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Hi), f - (hfsq - low));
    }

    /// <summary><c>e^x</c> per lane, double (<see cref="ExpDouble{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => ExpDouble<Vector256<double>, DoubleLanes256>(x);

    /// <summary><c>ln x</c> per lane, double (<see cref="LogDouble{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x) => LogDouble<Vector256<double>, DoubleLanes256>(x);

    /// <summary><c>e^x</c> per lane, float (see the class remarks for the method and accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> c = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(ExpMin)), Vector128.Create(ExpMax));
        Vector128<float> r = FloatExpLanes.Reduce<Vector128<float>, FloatLanes128>(c, out Vector128<float> n);
        Vector128<float> p = Vector128.FusedMultiplyAdd(FloatExpLanes.Quotient<Vector128<float>, FloatLanes128>(r), r, Vector128<float>.One);

        Vector128<int> k = Vector128.ConvertToInt32Native(n);
        Vector128<int> half = Vector128.ShiftRightArithmetic(k, 1);
        Vector128<float> scaled = (p.AsInt32() + Vector128.ShiftLeft(half, 23)).AsSingle();
        Vector128<float> rest = Vector128.ShiftLeft(k - half + Vector128.Create(127), 23).AsSingle();
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), scaled * rest, x);
    }

    /// <summary><c>ln x</c> per lane, float (see the class remarks for the method, accuracy and special values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> x)
    {
        Vector128<float> subnormal = Vector128.LessThan(x, Vector128.Create(MinNormal));
        Vector128<float> xs = Vector128.ConditionalSelect(subnormal, x * Vector128.Create(TwoTo23), x);
        Vector128<int> k = Vector128.ShiftRightArithmetic(xs.AsInt32() - Vector128.Create(SqrtHalfBits), 23);
        Vector128<float> m = (xs.AsInt32() - Vector128.ShiftLeft(k, 23)).AsSingle();
        Vector128<float> e = Vector128.ConvertToSingle(k - (subnormal.AsInt32() & Vector128.Create(23)));

        Vector128<float> result = LogOnePlus(m - Vector128<float>.One, e);
        Vector128<float> inDomain = Vector128.GreaterThan(x, Vector128<float>.Zero) & Vector128.LessThan(x, Vector128.Create(float.PositiveInfinity));
        Vector128<float> special = Vector128.ConditionalSelect(
            Vector128.Equals(x, Vector128<float>.Zero),
            Vector128.Create(float.NegativeInfinity),
            Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128.Create(float.NaN), x));
        return Vector128.ConditionalSelect(inDomain, result, special);
    }

    /// <summary>
    /// <c>ln(1 + u)</c> per lane, float, for u in [sqrt(1/2) - 1, 1] (BCE's <c>log1p(exp(-|z|))</c>), without rounding
    /// <c>1 + u</c>: from 1/2 up, <c>1 + u = 2 (1 + f)</c> with <c>f = (u - 1) / 2</c>, exact by Sterbenz; below, f = u.
    /// NaN gives NaN; outside the range the result is unspecified.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log1P(Vector128<float> u)
    {
        Vector128<float> upper = Vector128.GreaterThanOrEqual(u, Vector128.Create(0.5f));
        Vector128<float> f = Vector128.ConditionalSelect(upper, (u - Vector128<float>.One) * Vector128.Create(0.5f), u);
        return LogOnePlus(f, upper & Vector128<float>.One);
    }

    // e ln2 + log(1 + f) for |f / (2 + f)| <= 0.2 (see the class remarks); e is an integer held in a float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LogOnePlus(Vector128<float> f, Vector128<float> e)
    {
        Vector128<float> s = f / (Vector128.Create(2f) + f);
        Vector128<float> z = s * s;
        Vector128<float> r = Vector128.FusedMultiplyAdd(Vector128.Create(2f / 11), z, Vector128.Create(2f / 9));
        r = Vector128.FusedMultiplyAdd(r, z, Vector128.Create(2f / 7));
        r = Vector128.FusedMultiplyAdd(r, z, Vector128.Create(2f / 5));
        r = Vector128.FusedMultiplyAdd(r, z, Vector128.Create(2f / 3)) * z;
        Vector128<float> hfsq = Vector128.Create(0.5f) * f * f;
        Vector128<float> low = Vector128.FusedMultiplyAdd(e, Vector128.Create(Ln2Lo), s * (hfsq + r));
        return Vector128.FusedMultiplyAdd(e, Vector128.Create(Ln2Hi), f - (hfsq - low));
    }

    /// <summary><c>e^x</c> per lane, double (<see cref="ExpDouble{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x) => ExpDouble<Vector128<double>, DoubleLanes128>(x);

    /// <summary><c>ln x</c> per lane, double (<see cref="LogDouble{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log(Vector128<double> x) => LogDouble<Vector128<double>, DoubleLanes128>(x);
}
