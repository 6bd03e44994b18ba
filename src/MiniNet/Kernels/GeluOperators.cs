using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <c>Phi(x)</c> in double: the scalar definition (double GELU, and float spans shorter than a vector), and a vector fit
/// in double lanes that the vectorised float Erf uses. Float GELU's vectors are <see cref="GeluFloatLanes"/>.
/// </summary>
/// <remarks>
/// <c>Phi(-|x|) = erfc(|x| / sqrt 2) / 2</c> uses the Chebyshev fit <c>erfc(z) = t exp(-z^2 + P(t))</c>, <c>t = 1 / (1 + z/2)</c>,
/// of Numerical Recipes (<c>erfcc</c>), whose fractional error is below 1.2e-7 for every z &gt;= 0. Evaluated in double
/// that is at most about 2 float ulp after the final rounding; <c>Phi(|x|) = 1 - Phi(-|x|)</c> only shrinks it
/// (Phi(-|x|) &lt;= 1/2). So the relative accuracy holds in the left tail down to the subnormals (docs/accuracy.md).
/// The exponentials are <see cref="VectorMath.ExpForFloat{TVector, TLanes}"/> (3e-13 relative), not CoreLib's
/// full-precision double exp, which was most of the time. In float lanes this P(t) would lose about 1e-6 to the
/// cancellation of its alternating coefficients (~10 ulp of the result), hence the separate fit of GeluFloatLanes.
/// Double tensors keep the scalar double-precision erf/erfc path, which this fit is not accurate enough for.
/// </remarks>
internal static class GeluKernel
{
    public const double InvSqrt2 = 0.70710678118654752440;
    public const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary><c>Phi(x) = (1 + erf(x / sqrt 2)) / 2</c>, taken from erfc for x &lt; 0 so the left tail keeps its relative accuracy.</summary>
    public static double Cdf(double x) =>
        x < 0 ? 0.5 * SpecialFunctions.ErfcOfHalfSquare(-x) : 0.5 * (1 + SpecialFunctions.Erf(x * InvSqrt2));

    /// <summary><c>Phi(x) + x phi(x)</c>, the derivative of <c>x Phi(x)</c>.</summary>
    public static double Derivative(double x) => Cdf(x) + (x * InvSqrt2Pi * System.Math.Exp(-0.5 * x * x));

    // Numerical Recipes' erfc fit, erfc(z) ~ t exp(-z^2 + sum c_n t^n), t = 1 / (1 + z/2), lowest power first (the
    // vector Cdf evaluates it by Horner from the top, one generic body for every width).
    private static ReadOnlySpan<double> ErfcFit =>
        [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    /// <summary>Phi per lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Cdf<TVector, TLanes>(TVector x)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        TVector one = TLanes.Create(1), half = TLanes.Create(0.5);
        TVector z = TLanes.Multiply(TLanes.Abs(x), TLanes.Create(InvSqrt2));
        TVector t = TLanes.Divide(one, TLanes.Add(one, TLanes.Multiply(half, z)));
        TVector p = Polynomial.Evaluate<TVector, TLanes>(ErfcFit, t);
        TVector lower = TLanes.Multiply(TLanes.Multiply(half, t), VectorMath.ExpForFloat<TVector, TLanes>(TLanes.Subtract(p, TLanes.Multiply(z, z))));
        return TLanes.Select(TLanes.LessThan(x, TLanes.Create(0)), lower, TLanes.Subtract(one, lower));
    }
}

/// <summary><c>x Phi(x)</c> for float tensors in float lanes (<see cref="GeluFloatLanes"/>); spans shorter than a vector use the double definition.</summary>
internal readonly struct GeluForFloat : IUnaryKernel<float>
{
    public float Invoke(float x) => (float)(x * GeluKernel.Cdf(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => GeluFloatLanes.Gelu<Vector128<float>, FloatLanes128>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => GeluFloatLanes.Gelu<Vector256<float>, FloatLanes256>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => GeluFloatLanes.Gelu<Vector512<float>, FloatLanes512>(x);
}

/// <summary><c>g (Phi(x) + x phi(x))</c> for float in float lanes (<see cref="GeluFloatLanes"/>); the scalar member is in double.</summary>
internal readonly struct GeluFloatGradOperator : IBinaryKernel<float>
{
    public float Invoke(float x, float g) => g * (float)GeluKernel.Derivative(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g) => g * GeluFloatLanes.Derivative<Vector128<float>, FloatLanes128>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) => g * GeluFloatLanes.Derivative<Vector256<float>, FloatLanes256>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) => g * GeluFloatLanes.Derivative<Vector512<float>, FloatLanes512>(x);
}

/// <summary>
/// The tanh GELU of float tensors, <c>x sigma(2u)</c> (see <see cref="GeluTanhOperator{T}"/>), evaluated in double lanes
/// (through <see cref="InDoubleLanes{TOp}"/>):
/// in the left tail the result is about <c>e^(2u)</c>, so a float rounding of u would be amplified |2u| times (137 ulp at
/// x = -9.3); in double that stays below a float ulp. Its exponential is VectorMath.ExpForFloat (3e-13 relative).
/// </summary>
internal readonly struct GeluTanhForFloat : IUnaryKernel<double>
{
    public double Invoke(double x) => default(GeluTanhOperator<double>).Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> x) => x * Sigmoid<Vector128<double>, DoubleLanes128>(GeluTanhOperator<double>.TwoU(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> x) => x * Sigmoid<Vector256<double>, DoubleLanes256>(GeluTanhOperator<double>.TwoU(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> x) => x * Sigmoid<Vector512<double>, DoubleLanes512>(GeluTanhOperator<double>.TwoU(x));

    // sigma(z) = 1 / (1 + e^-z) from e = e^-|z| (no overflow), as SigmoidOperator, with the cheaper exp of float results.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Sigmoid<TVector, TLanes>(TVector z)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        TVector one = TLanes.Create(1);
        TVector e = VectorMath.ExpForFloat<TVector, TLanes>(TLanes.Negate(TLanes.Abs(z)));
        TVector r = TLanes.Divide(one, TLanes.Add(one, e));
        return TLanes.Select(TLanes.GreaterThanOrEqual(z, TLanes.Create(0)), r, TLanes.Multiply(e, r));
    }
}

/// <summary>
/// The float GELU forward that also keeps its derivative for backward (<see cref="GeluFloatLanes.GeluAndDerivative{TV, L}"/>):
/// one pass computes <c>y = x Phi(x)</c> and <c>dy = Phi(x) + x phi(x)</c>, so backward is <c>g * dy</c> instead of a
/// second evaluation of the exponential, the division and the polynomial. Bit for bit the separate kernels.
/// </summary>
internal static class GeluFloatForward
{
    /// <summary><c>y[i] = gelu(x[i])</c> and <c>dy[i] = gelu'(x[i])</c>; y and dy may not overlap x.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void WithDerivative(ReadOnlySpan<float> x, Span<float> y, Span<float> dy)
    {
        if (y.Length != x.Length || dy.Length != x.Length)
        {
            throw new ArgumentException($"GeluFloatForward.WithDerivative: lengths differ (x {x.Length}, y {y.Length}, dy {dy.Length}).");
        }

        ref float xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y), dr = ref MemoryMarshal.GetReference(dy);
        nuint n = (nuint)x.Length;
        if (!(Run<Vector512<float>, FloatLanes512>(ref xr, ref yr, ref dr, n) || Run<Vector256<float>, FloatLanes256>(ref xr, ref yr, ref dr, n) ||
            Run<Vector128<float>, FloatLanes128>(ref xr, ref yr, ref dr, n)))
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = default(GeluForFloat).Invoke(x[i]);
                dy[i] = default(GeluFloatGradOperator).Invoke(x[i], 1f);
            }
        }
    }

    // One width, when it runs in hardware and the span holds a vector; the last vector overlaps the tail (computed first).
    // Not inlined: one method per width keeps each within the JIT's inlining budget (three in one left calls in the loop).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static bool Run<TV, L>(ref float x, ref float y, ref float dy, nuint n)
        where TV : struct
        where L : IFloatLanes<TV>
    {
        nuint w = (nuint)L.Count;
        if (!L.IsHardwareAccelerated || n < w)
        {
            return false;
        }

        nuint last = n - w;
        TV endY = GeluFloatLanes.GeluAndDerivative<TV, L>(L.Load(ref x, last), out TV endDy);
        for (nuint i = 0; i < last; i += w)
        {
            L.Store(GeluFloatLanes.GeluAndDerivative<TV, L>(L.Load(ref x, i), out TV d), ref y, i);
            L.Store(d, ref dy, i);
        }

        L.Store(endY, ref y, last);
        L.Store(endDy, ref dy, last);
        return true;
    }
}

/// <summary><c>x * y</c> per lane: a saved derivative times the upstream gradient (<see cref="GeluFloatForward"/>'s backward).</summary>
internal readonly struct ProductOperator<T> : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x * y;

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x * y;

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x * y;

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x * y;
}
