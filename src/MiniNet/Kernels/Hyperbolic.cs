using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <c>tanh</c>, vectorised, within 2 ulp of the exact value over the whole range (docs/accuracy.md).
/// <c>TensorPrimitives.Tanh</c> computes <c>(e^2x - 1) / (e^2x + 1)</c>, which cancels near 0: it returned 0 for
/// |x| below ~1e-8 (double) and was off by up to 45 % at 1e-7 (float). Here:
/// <list type="bullet">
/// <item>|x| &lt; 0.55: <c>x + x (z P(z))</c>, <c>z = x^2</c>, P the Taylor polynomial of <c>(tanh x - x) / x^3</c>, by
/// fused multiply-adds: up to <c>z^7</c> in float, <c>z^17</c> in double (the first term left out is below 6e-9 and 5e-18
/// relative at 0.55). The correction <c>z P(z)</c> is at most 0.1, so its roundings reach the result damped tenfold;
/// below |x| = 1e-4 (float) or 1e-9 (double) the result is x. Lambert's continued fraction, used before, cost 5
/// (float) and 9 (double) divisions per vector.</item>
/// <item>|x| &gt;= 0.55: <c>sign(x) (1 - 2 / (e^(2|x|) + 1))</c>; the result is at least 1/2, so the subtraction is benign,
/// and e^(2|x|) = +inf gives exactly 1.</item>
/// </list>
/// NaN gives NaN, +-inf gives +-1, -0 gives -0. Run through <see cref="Vectorized.Map{T, TOp}(TOp, ReadOnlySpan{T}, Span{T})"/> (in place is safe).
/// </summary>
internal static class Hyperbolic
{
    private const double Split = 0.55;

    /// <summary><c>y[i] = tanh(x[i])</c>; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vectorized.Map(default(TanhOperator<T>), x, y);

    /// <summary>The scalar definition (see the class remarks).</summary>
    internal static T Tanh<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T a = T.Abs(x);
        if (a < T.CreateTruncating(Split) && typeof(T) == typeof(float))
        {
            float v = float.CreateTruncating(x), z = v * v;
            return a < T.CreateTruncating(TanhIsX) ? x : T.CreateTruncating(MathF.FusedMultiplyAdd(v, z * Polynomial.Evaluate(TanhSeries, z), v));
        }

        if (a < T.CreateTruncating(Split))
        {
            double v = double.CreateTruncating(x), z = v * v;
            return a < T.CreateTruncating(TanhIsXDouble) ? x : T.CreateTruncating(Math.FusedMultiplyAdd(v, z * Polynomial.Evaluate(TanhSeriesDouble, z), v));
        }

        T t = T.One - (T.CreateTruncating(2) / (T.Exp(a + a) + T.One));
        return T.IsNegative(x) ? -t : t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Tanh<T>(Vector512<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> a = Vector512.Abs(x);
        Vector512<T> small = typeof(T) == typeof(float) ? SmallFloat<Vector512<float>, FloatLanes512>(x.AsSingle()).As<float, T>()
            : SmallDouble<Vector512<double>, DoubleLanes512>(x.AsDouble()).As<double, T>();
        Vector512<T> large = Vector512<T>.One - (Vector512.Create(T.CreateTruncating(2)) / (VectorMath.Exp(a + a) + Vector512<T>.One));
        large = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), -large, large);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(T.CreateTruncating(Split))), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Tanh<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> a = Vector256.Abs(x);
        Vector256<T> small = typeof(T) == typeof(float) ? SmallFloat<Vector256<float>, FloatLanes256>(x.AsSingle()).As<float, T>()
            : SmallDouble<Vector256<double>, DoubleLanes256>(x.AsDouble()).As<double, T>();
        Vector256<T> large = Vector256<T>.One - (Vector256.Create(T.CreateTruncating(2)) / (VectorMath.Exp(a + a) + Vector256<T>.One));
        large = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), -large, large);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(T.CreateTruncating(Split))), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> Tanh<T>(Vector128<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector128<T> a = Vector128.Abs(x);
        Vector128<T> small = typeof(T) == typeof(float) ? SmallFloat<Vector128<float>, FloatLanes128>(x.AsSingle()).As<float, T>()
            : SmallDouble<Vector128<double>, DoubleLanes128>(x.AsDouble()).As<double, T>();
        Vector128<T> large = Vector128<T>.One - (Vector128.Create(T.CreateTruncating(2)) / (VectorMath.Exp(a + a) + Vector128<T>.One));
        large = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), -large, large);
        return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(T.CreateTruncating(Split))), small, large);
    }

    // Below these |x| tanh x rounds to x (x^2 / 3 < 2^-25 in float, 2^-54 in double).
    private const float TanhIsX = 1e-4f;
    private const double TanhIsXDouble = 1e-9;

    // Taylor coefficients of tanh x from x^3 to x^17 (exact: 2^2n (2^2n - 1) B_2n / (2n)!), lowest power first.
    private static ReadOnlySpan<float> TanhSeries =>
        [-1f / 3, 2f / 15, -17f / 315, 62f / 2835, -1382f / 155925, 21844f / 6081075, -929569f / 638512875, 6404582f / 10854718875];

    // The same from x^3 to x^37, each the double nearest the exact rational.
    private static ReadOnlySpan<double> TanhSeriesDouble =>
        [-0.3333333333333333, 0.13333333333333333, -0.05396825396825397, 0.021869488536155203, -0.008863235529902197,
         0.003592128036572481, -0.0014558343870513183, 0.000590027440945586, -0.00023912911424355248, 9.691537956929451e-05,
         -3.927832388331683e-05, 1.5918905069328964e-05, -6.451689215655431e-06, 2.6147711512907546e-06,
         -1.0597268320104654e-06, 4.294911078273806e-07, -1.7406618963571648e-07, 7.054636946400968e-08];

    // tanh x for |x| < Split in float lanes (see the class remarks).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmallFloat<TV, L>(TV x)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        TV z = L.Multiply(x, x);
        TV p = Polynomial.Evaluate<TV, L>(TanhSeries, z);

        // Below 1e-4 tanh x rounds to x; taking x there also keeps -0 (x + x (z P) would give +0).
        return L.Select(L.LessThan(L.Abs(x), L.Create(TanhIsX)), x, L.Fma(x, L.Multiply(z, p), x));
    }

    // tanh x for |x| < Split in double lanes (see the class remarks).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmallDouble<TV, L>(TV x)
        where TV : struct
        where L : IDoubleLanes<TV>
    {
        TV z = L.Multiply(x, x);
        TV p = Polynomial.Evaluate<TV, L>(TanhSeriesDouble, z);
        return L.Select(L.LessThan(L.Abs(x), L.Create(TanhIsXDouble)), x, L.Fma(x, L.Multiply(z, p), x));
    }
}

/// <summary><see cref="Hyperbolic.Tanh{T}(T)"/> as an operator for <see cref="Vectorized"/>'s drivers.</summary>
internal readonly struct TanhOperator<T> : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x) => Hyperbolic.Tanh(x);

    public Vector128<T> Invoke(Vector128<T> x) => Hyperbolic.Tanh(x);

    public Vector256<T> Invoke(Vector256<T> x) => Hyperbolic.Tanh(x);

    public Vector512<T> Invoke(Vector512<T> x) => Hyperbolic.Tanh(x);
}
