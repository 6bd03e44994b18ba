using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <c>log1p</c> of float tensors, vectorised (with <see cref="InDoubleLanes{TOp}"/>): on the widened float values
/// <see cref="SpecialFunctions.Log1p(double)"/>'s method (Goldberg's <c>log(w) * (x / (w - 1))</c>, <c>w = 1 + x</c>) runs per
/// lane with MiniNet's double log (VectorMath), then <see cref="InDoubleLanes{TOp}"/> rounds the result once to float, as the scalar
/// path (within 0.5 ulp plus the double error). The special cases are lane selects: <c>w == 1</c> gives x (so -0 stays -0), +inf gives +inf.
/// </summary>
internal readonly struct Log1pForFloat : IUnaryKernel<double>
{
    public double Invoke(double x) => SpecialFunctions.Log1p(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> v)
    {
        Vector128<double> w = Vector128<double>.One + v, l = VectorMath.Log(w) * (v / (w - Vector128<double>.One));
        return Vector128.ConditionalSelect(Vector128.Equals(w, Vector128<double>.One) | Vector128.Equals(v, Vector128.Create(double.PositiveInfinity)), v, l);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> v)
    {
        Vector256<double> w = Vector256<double>.One + v, l = VectorMath.Log(w) * (v / (w - Vector256<double>.One));
        return Vector256.ConditionalSelect(Vector256.Equals(w, Vector256<double>.One) | Vector256.Equals(v, Vector256.Create(double.PositiveInfinity)), v, l);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> v)
    {
        Vector512<double> w = Vector512<double>.One + v, l = VectorMath.Log(w) * (v / (w - Vector512<double>.One));
        return Vector512.ConditionalSelect(Vector512.Equals(w, Vector512<double>.One) | Vector512.Equals(v, Vector512.Create(double.PositiveInfinity)), v, l);
    }
}

/// <summary>
/// <c>expm1</c> of float tensors, vectorised like <see cref="Log1pForFloat"/>: Kahan's <c>(u - 1) * (x / log u)</c>,
/// <c>u = e^x</c>, per double lane (VectorMath's double exp and log), rounded once to float. Lane selects: <c>u == 1</c> gives x,
/// <c>u == 0</c> gives -1 and <c>u == +inf</c> gives +inf, as <see cref="SpecialFunctions.Expm1(double)"/>.
/// </summary>
internal readonly struct Expm1ForFloat : IUnaryKernel<double>
{
    public double Invoke(double x) => SpecialFunctions.Expm1(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> v)
    {
        Vector128<double> u = VectorMath.Exp(v), um1 = u - Vector128<double>.One, r = um1 * (v / VectorMath.Log(u));
        r = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<double>.Zero) | Vector128.Equals(u, Vector128.Create(double.PositiveInfinity)), um1, r);
        return Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<double>.One), v, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> v)
    {
        Vector256<double> u = VectorMath.Exp(v), um1 = u - Vector256<double>.One, r = um1 * (v / VectorMath.Log(u));
        r = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.Zero) | Vector256.Equals(u, Vector256.Create(double.PositiveInfinity)), um1, r);
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), v, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> v)
    {
        Vector512<double> u = VectorMath.Exp(v), um1 = u - Vector512<double>.One, r = um1 * (v / VectorMath.Log(u));
        r = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.Zero) | Vector512.Equals(u, Vector512.Create(double.PositiveInfinity)), um1, r);
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.One), v, r);
    }
}

/// <summary>
/// <c>erf</c> of float tensors, vectorised in double lanes and rounded once to float. Below |x| = 1.5 the Taylor series
/// of <see cref="SpecialFunctions.Erf(double)"/> to degree 17 in <c>x^2</c> (its first dropped term is below 7e-11 of
/// the sum there); from 1.5 on <c>1 - erfc</c> with erfc from GELU's Numerical Recipes fit (<see cref="GeluKernel"/>,
/// fractional error below 1.2e-7, and erfc(1.5) = 0.034, so below 4e-9 of erf: 0.07 ulp). Odd; NaN stays NaN.
/// </summary>
internal readonly struct ErfForFloat : IUnaryKernel<double>
{
    private const double Switch = 1.5, TwoOverSqrtPi = 1.1283791670955126, Sqrt2 = 1.4142135623730951;
    private const int Terms = 18;

    public double Invoke(double x) => SpecialFunctions.Erf(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> v) => Erf<Vector128<double>, DoubleLanes128>(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> v) => Erf<Vector256<double>, DoubleLanes256>(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> v) => Erf<Vector512<double>, DoubleLanes512>(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Erf<TVector, TLanes>(TVector v)
        where TVector : struct
        where TLanes : IDoubleLanes<TVector>
    {
        TVector a = TLanes.Abs(v), s = TLanes.Min(a, TLanes.Create(Switch)), y = TLanes.Multiply(s, s);
        ReadOnlySpan<double> c = SpecialFunctions.ErfSeries;
        TVector sum = TLanes.Create(c[Terms - 1]);
        for (int n = Terms - 2; n >= 0; n--)
        {
            sum = TLanes.Fma(sum, y, TLanes.Create(c[n]));
        }

        TVector series = TLanes.Multiply(TLanes.Multiply(TLanes.Create(TwoOverSqrtPi), s), sum);
        TVector cdf = GeluKernel.Cdf<TVector, TLanes>(TLanes.Multiply(TLanes.Negate(a), TLanes.Create(Sqrt2)));
        TVector complement = TLanes.Subtract(TLanes.Create(1), TLanes.Multiply(TLanes.Create(2.0), cdf));
        return TLanes.CopySign(TLanes.Select(TLanes.LessThan(a, TLanes.Create(Switch)), series, complement), v);
    }
}

/// <summary>
/// A float kernel computed in double lanes: each float vector is widened to two double vectors, <typeparamref name="TOp"/>
/// runs on them and the result is rounded once to float (the scalar member rounds TOp's double result the same way).
/// For functions whose float result needs more than float arithmetic gives (GELU's Phi, log1p, expm1, erf).
/// </summary>
internal readonly struct InDoubleLanes<TOp> : IUnaryKernel<float>
    where TOp : struct, IUnaryKernel<double>
{
    public float Invoke(float x) => (float)default(TOp).Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        return Vector128.Narrow(default(TOp).Invoke(lo), default(TOp).Invoke(hi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        return Vector256.Narrow(default(TOp).Invoke(lo), default(TOp).Invoke(hi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        return Vector512.Narrow(default(TOp).Invoke(lo), default(TOp).Invoke(hi));
    }
}
