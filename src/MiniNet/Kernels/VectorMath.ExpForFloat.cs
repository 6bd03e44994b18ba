using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <content>
/// <c>e^x</c> in double lanes for results that end as float (GELU of float tensors): CoreLib's double
/// <c>VectorNNN.Exp</c> is accurate to the last double bit and costs about 3.5 times the float exp per element
/// (1M floats as 2 x 8 doubles per 16: ~700 us against ~190 us, a probe at load 8), which made it most of the GELU time.
/// </content>
/// <remarks>
/// <c>x = n ln2 + r</c> with <c>n = round(x / ln2)</c> found by adding <c>1.5 * 2^52</c> (the sum's low bits are n), <c>r</c>
/// by one fused multiply-add with the double ln2 (error about <c>|n| * 1e-17</c>, below 1e-14 relative for |x| &lt;= 708),
/// <c>e^r</c> by its Taylor polynomial of degree 10 (<c>|r| &lt;= ln2/2</c>: truncation <c>r^11/11! &lt; 3e-13</c>) and
/// <c>2^n</c> from its exponent bits. Relative error below 1e-12 (measured 3e-13 below; VectorMathExpForFloatTests),
/// four decades under a float ulp. The reduction runs on x clamped to [-708, 709], where 2^n stays a normal double;
/// below -708 the result is 0 (e^-708 is far below the smallest float, and e^-inf is 0), above 709 it is +inf; NaN stays NaN.
/// </remarks>
internal static partial class VectorMath
{
    private const double Log2EDouble = 1.4426950408889634;
    private const double Ln2Double = 0.6931471805599453;
    private const double RoundingShift = 6755399441055744.0; // 1.5 * 2^52
    private const double ExpForFloatMin = -708, ExpForFloatMax = 709;

    // 1/k! for k = 10 down to 2 (Horner from the highest degree).
    private const double C10 = 2.7557319223985891e-7, C9 = 2.7557319223985893e-6, C8 = 2.4801587301587302e-5;
    private const double C7 = 1.9841269841269841e-4;
    private const double C6 = 1.3888888888888889e-3, C5 = 8.3333333333333333e-3, C4 = 4.1666666666666667e-2;
    private const double C3 = 1.6666666666666667e-1, C2 = 0.5;

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks): for double lanes that are rounded to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpForFloat(Vector512<double> x)
    {
        Vector512<double> c = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpForFloatMin)), Vector512.Create(ExpForFloatMax));
        Vector512<double> k = Vector512.FusedMultiplyAdd(c, Vector512.Create(Log2EDouble), Vector512.Create(RoundingShift));
        Vector512<double> n = k - Vector512.Create(RoundingShift);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Double), c);
        Vector512<double> p = Vector512.FusedMultiplyAdd(Vector512.Create(C10), r, Vector512.Create(C9));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C8));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C7));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        Vector512<long> bits = k.AsInt64() - Vector512.Create(RoundingShift).AsInt64() + Vector512.Create(1023L);
        Vector512<double> y = p * Vector512.ShiftLeft(bits, 52).AsDouble();
        y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpForFloatMin)), Vector512<double>.Zero, y);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpForFloatMax)), Vector512.Create(double.PositiveInfinity), y);
    }

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpForFloat(Vector256<double> x)
    {
        Vector256<double> c = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpForFloatMin)), Vector256.Create(ExpForFloatMax));
        Vector256<double> k = Vector256.FusedMultiplyAdd(c, Vector256.Create(Log2EDouble), Vector256.Create(RoundingShift));
        Vector256<double> n = k - Vector256.Create(RoundingShift);
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Double), c);
        Vector256<double> p = Vector256.FusedMultiplyAdd(Vector256.Create(C10), r, Vector256.Create(C9));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C8));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C7));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        Vector256<long> bits = k.AsInt64() - Vector256.Create(RoundingShift).AsInt64() + Vector256.Create(1023L);
        Vector256<double> y = p * Vector256.ShiftLeft(bits, 52).AsDouble();
        y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpForFloatMin)), Vector256<double>.Zero, y);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpForFloatMax)), Vector256.Create(double.PositiveInfinity), y);
    }

    /// <summary><c>e^x</c> per lane to 1e-12 relative (see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpForFloat(Vector128<double> x)
    {
        Vector128<double> c = Vector128.Min(Vector128.Max(x, Vector128.Create(ExpForFloatMin)), Vector128.Create(ExpForFloatMax));
        Vector128<double> k = Vector128.FusedMultiplyAdd(c, Vector128.Create(Log2EDouble), Vector128.Create(RoundingShift));
        Vector128<double> n = k - Vector128.Create(RoundingShift);
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Double), c);
        Vector128<double> p = Vector128.FusedMultiplyAdd(Vector128.Create(C10), r, Vector128.Create(C9));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C8));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C7));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C2));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        Vector128<long> bits = k.AsInt64() - Vector128.Create(RoundingShift).AsInt64() + Vector128.Create(1023L);
        Vector128<double> y = p * Vector128.ShiftLeft(bits, 52).AsDouble();
        y = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpForFloatMin)), Vector128<double>.Zero, y);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpForFloatMax)), Vector128.Create(double.PositiveInfinity), y);
    }
}
