using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <content>
/// <c>e^x</c> in double lanes for results that end as float (Erf and tanh-GELU of float tensors): a full-precision
/// double exp (CoreLib's, then <see cref="ExpDouble{TVector, TLanes}"/>) carries three more Taylor terms and the
/// subnormal-safe scaling, which float results do not need (CoreLib's cost about 3.5 times the float exp per element).
/// </content>
/// <remarks>
/// <c>x = n ln2 + r</c> with <c>n = round(x / ln2)</c> found by adding <c>1.5 * 2^52</c> (the sum's low bits are n), <c>r</c>
/// by two fused multiply-adds with ln2 in two parts (as ExpDouble),
/// <c>e^r</c> by its Taylor polynomial of degree 10 (<c>|r| &lt;= ln2/2</c>: truncation <c>r^11/11! &lt; 3e-13</c>) and
/// <c>2^n</c> from its exponent bits. Relative error below 1e-12 (measured 3e-13 below; VectorMathExpForFloatTests),
/// four decades under a float ulp. The reduction runs on x clamped to [-708, 709], where 2^n stays a normal double;
/// below -708 the result is 0 (e^-708 is far below the smallest float, and e^-inf is 0), above 709 it is +inf; NaN stays NaN.
/// </remarks>
internal static partial class VectorMath
{
    private const double Log2EDouble = 1.4426950408889634;
    private const double RoundingShift = 6755399441055744.0; // 1.5 * 2^52
    private const double ExpForFloatMin = -708, ExpForFloatMax = 709;

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks): for double lanes that are rounded to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ExpForFloat<TVector, TLanes>(TVector x)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        TVector r = ReduceLn2<TVector, TLanes>(TLanes.Min(TLanes.Max(x, TLanes.Create(ExpForFloatMin)), TLanes.Create(ExpForFloatMax)), out TVector k);
        TVector p = TLanes.Fma(Polynomial.Evaluate<TVector, TLanes>(ExpQuotient[..10], r), r, TLanes.Create(1)); // degree 10 of ExpDouble's series

        TVector y = TLanes.Multiply(p, TLanes.TwoToTheRounded(k, RoundingShift));
        y = TLanes.Select(TLanes.LessThan(x, TLanes.Create(ExpForFloatMin)), TLanes.Create(0), y);
        return TLanes.Select(TLanes.GreaterThan(x, TLanes.Create(ExpForFloatMax)), TLanes.Create(double.PositiveInfinity), y);
    }

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks).</summary>
    public static Vector512<double> ExpForFloat(Vector512<double> x) => ExpForFloat<Vector512<double>, DoubleLanes512>(x);

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks).</summary>
    public static Vector256<double> ExpForFloat(Vector256<double> x) => ExpForFloat<Vector256<double>, DoubleLanes256>(x);

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks).</summary>
    public static Vector128<double> ExpForFloat(Vector128<double> x) => ExpForFloat<Vector128<double>, DoubleLanes128>(x);
}
