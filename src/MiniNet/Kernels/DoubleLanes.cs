using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// The double vector operations of width-generic elementwise math (<see cref="VectorMath.ExpForFloat{TVector, TLanes}"/>,
/// <see cref="GeluKernel.Cdf{TVector, TLanes}"/>), on vectors <typeparamref name="TVector"/>: the double-lane counterpart
/// of <see cref="IFloatLanes{TVector}"/>, implemented by empty structs so the JIT compiles each caller once per width
/// with every call inlined. Min and Max keep IEEE semantics (the callers rely on NaN propagating through a clamp).
/// </summary>
/// <typeparam name="TVector">Vector512, Vector256 or Vector128 of double.</typeparam>
internal interface IDoubleLanes<TVector>
    where TVector : struct
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Create(double value);

    /// <summary><c>x + y</c>.</summary>
    static abstract TVector Add(TVector x, TVector y);

    /// <summary><c>x - y</c>.</summary>
    static abstract TVector Subtract(TVector x, TVector y);

    /// <summary><c>x * y</c>.</summary>
    static abstract TVector Multiply(TVector x, TVector y);

    /// <summary><c>x / y</c>.</summary>
    static abstract TVector Divide(TVector x, TVector y);

    /// <summary><c>-x</c>.</summary>
    static abstract TVector Negate(TVector x);

    /// <summary><c>|x|</c>.</summary>
    static abstract TVector Abs(TVector x);

    /// <summary><c>x * y + addend</c>, rounded once.</summary>
    static abstract TVector Fma(TVector x, TVector y, TVector addend);

    /// <summary>The IEEE minimum (NaN if either is NaN).</summary>
    static abstract TVector Min(TVector x, TVector y);

    /// <summary>The IEEE maximum (NaN if either is NaN).</summary>
    static abstract TVector Max(TVector x, TVector y);

    /// <summary>All bits set where <c>x &lt; y</c>.</summary>
    static abstract TVector LessThan(TVector x, TVector y);

    /// <summary>All bits set where <c>x &gt; y</c>.</summary>
    static abstract TVector GreaterThan(TVector x, TVector y);

    /// <summary>All bits set where <c>x &gt;= y</c>.</summary>
    static abstract TVector GreaterThanOrEqual(TVector x, TVector y);

    /// <summary>Bits of <paramref name="whenTrue"/> where <paramref name="mask"/> is set, else of <paramref name="whenFalse"/>.</summary>
    static abstract TVector Select(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary><paramref name="value"/>'s magnitude with <paramref name="sign"/>'s sign.</summary>
    static abstract TVector CopySign(TVector value, TVector sign);

    /// <summary><c>2^n</c> from <c>sum = n + shift</c>, where adding <paramref name="shift"/> (1.5 * 2^52) left the integer n in the low bits of the sum: n plus the exponent bias, shifted into the exponent field (n must be a normal exponent).</summary>
    static abstract TVector TwoToTheRounded(TVector sum, double shift);

    /// <summary>
    /// For a positive normal x: <c>m = x 2^-k</c> in [sqrt(1/2), sqrt 2) and the integer k (as a double), from the bits
    /// (<c>x - bits(sqrt(1/2))</c>, shifted, is k).
    /// </summary>
    static abstract TVector SplitExponent(TVector x, out TVector k);
}

/// <summary><see cref="IDoubleLanes{TVector}"/> on 512-bit vectors.</summary>
internal readonly struct DoubleLanes512 : IDoubleLanes<Vector512<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Create(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> x, Vector512<double> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> x, Vector512<double> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> x, Vector512<double> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Divide(Vector512<double> x, Vector512<double> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Negate(Vector512<double> x) => -x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Abs(Vector512<double> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Fma(Vector512<double> x, Vector512<double> y, Vector512<double> addend) => Vector512.FusedMultiplyAdd(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Min(Vector512<double> x, Vector512<double> y) => Vector512.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Max(Vector512<double> x, Vector512<double> y) => Vector512.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LessThan(Vector512<double> x, Vector512<double> y) => Vector512.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> GreaterThan(Vector512<double> x, Vector512<double> y) => Vector512.GreaterThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> GreaterThanOrEqual(Vector512<double> x, Vector512<double> y) => Vector512.GreaterThanOrEqual(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Select(Vector512<double> mask, Vector512<double> whenTrue, Vector512<double> whenFalse) => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> CopySign(Vector512<double> value, Vector512<double> sign) => Vector512.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> TwoToTheRounded(Vector512<double> sum, double shift) => Vector512.ShiftLeft(sum.AsInt64() - Vector512.Create(shift).AsInt64() + Vector512.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SplitExponent(Vector512<double> x, out Vector512<double> k)
    {
        Vector512<long> e = Vector512.ShiftRightArithmetic(x.AsInt64() - Vector512.Create(VectorMath.SqrtHalfBitsDouble), 52);
        k = Vector512.ConvertToDouble(e);
        return (x.AsInt64() - Vector512.ShiftLeft(e, 52)).AsDouble();
    }
}

/// <summary><see cref="IDoubleLanes{TVector}"/> on 256-bit vectors.</summary>
internal readonly struct DoubleLanes256 : IDoubleLanes<Vector256<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Create(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> x, Vector256<double> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> x, Vector256<double> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> x, Vector256<double> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Divide(Vector256<double> x, Vector256<double> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Negate(Vector256<double> x) => -x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Fma(Vector256<double> x, Vector256<double> y, Vector256<double> addend) => Vector256.FusedMultiplyAdd(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> x, Vector256<double> y) => Vector256.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> x, Vector256<double> y) => Vector256.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LessThan(Vector256<double> x, Vector256<double> y) => Vector256.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> GreaterThan(Vector256<double> x, Vector256<double> y) => Vector256.GreaterThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> GreaterThanOrEqual(Vector256<double> x, Vector256<double> y) => Vector256.GreaterThanOrEqual(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> whenTrue, Vector256<double> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> CopySign(Vector256<double> value, Vector256<double> sign) => Vector256.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> TwoToTheRounded(Vector256<double> sum, double shift) => Vector256.ShiftLeft(sum.AsInt64() - Vector256.Create(shift).AsInt64() + Vector256.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SplitExponent(Vector256<double> x, out Vector256<double> k)
    {
        Vector256<long> e = Vector256.ShiftRightArithmetic(x.AsInt64() - Vector256.Create(VectorMath.SqrtHalfBitsDouble), 52);
        k = Vector256.ConvertToDouble(e);
        return (x.AsInt64() - Vector256.ShiftLeft(e, 52)).AsDouble();
    }
}

/// <summary><see cref="IDoubleLanes{TVector}"/> on 128-bit vectors.</summary>
internal readonly struct DoubleLanes128 : IDoubleLanes<Vector128<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Create(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> x, Vector128<double> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Subtract(Vector128<double> x, Vector128<double> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Multiply(Vector128<double> x, Vector128<double> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Divide(Vector128<double> x, Vector128<double> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Negate(Vector128<double> x) => -x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Abs(Vector128<double> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Fma(Vector128<double> x, Vector128<double> y, Vector128<double> addend) => Vector128.FusedMultiplyAdd(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> x, Vector128<double> y) => Vector128.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> x, Vector128<double> y) => Vector128.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LessThan(Vector128<double> x, Vector128<double> y) => Vector128.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> GreaterThan(Vector128<double> x, Vector128<double> y) => Vector128.GreaterThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> GreaterThanOrEqual(Vector128<double> x, Vector128<double> y) => Vector128.GreaterThanOrEqual(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Select(Vector128<double> mask, Vector128<double> whenTrue, Vector128<double> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> CopySign(Vector128<double> value, Vector128<double> sign) => Vector128.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> TwoToTheRounded(Vector128<double> sum, double shift) => Vector128.ShiftLeft(sum.AsInt64() - Vector128.Create(shift).AsInt64() + Vector128.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SplitExponent(Vector128<double> x, out Vector128<double> k)
    {
        Vector128<long> e = Vector128.ShiftRightArithmetic(x.AsInt64() - Vector128.Create(VectorMath.SqrtHalfBitsDouble), 52);
        k = Vector128.ConvertToDouble(e);
        return (x.AsInt64() - Vector128.ShiftLeft(e, 52)).AsDouble();
    }
}
