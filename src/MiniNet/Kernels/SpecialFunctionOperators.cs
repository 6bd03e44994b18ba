using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <c>log1p</c> of float tensors, vectorised: each float vector is widened to two double vectors and
/// <see cref="SpecialFunctions.Log1p(double)"/>'s method (Goldberg's <c>log(w) * (x / (w - 1))</c>, <c>w = 1 + x</c>) runs per
/// lane with CoreLib's double log, then the result is rounded once to float, as the scalar path (within 0.5 ulp plus
/// the double error). The special cases are lane selects: <c>w == 1</c> gives x (so -0 stays -0), +inf gives +inf.
/// </summary>
internal readonly struct Log1pFloatOperator : IUnaryKernel<float>
{
    public float Invoke(float x) => (float)SpecialFunctions.Log1p(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        return Vector128.Narrow(Log1p(lo), Log1p(hi));

        static Vector128<double> Log1p(Vector128<double> v)
        {
            Vector128<double> w = Vector128<double>.One + v, l = Vector128.Log(w) * (v / (w - Vector128<double>.One));
            return Vector128.ConditionalSelect(Vector128.Equals(w, Vector128<double>.One) | Vector128.Equals(v, Vector128.Create(double.PositiveInfinity)), v, l);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        return Vector256.Narrow(Log1p(lo), Log1p(hi));

        static Vector256<double> Log1p(Vector256<double> v)
        {
            Vector256<double> w = Vector256<double>.One + v, l = Vector256.Log(w) * (v / (w - Vector256<double>.One));
            return Vector256.ConditionalSelect(Vector256.Equals(w, Vector256<double>.One) | Vector256.Equals(v, Vector256.Create(double.PositiveInfinity)), v, l);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        return Vector512.Narrow(Log1p(lo), Log1p(hi));

        static Vector512<double> Log1p(Vector512<double> v)
        {
            Vector512<double> w = Vector512<double>.One + v, l = Vector512.Log(w) * (v / (w - Vector512<double>.One));
            return Vector512.ConditionalSelect(Vector512.Equals(w, Vector512<double>.One) | Vector512.Equals(v, Vector512.Create(double.PositiveInfinity)), v, l);
        }
    }
}

/// <summary>
/// <c>expm1</c> of float tensors, vectorised like <see cref="Log1pFloatOperator"/>: Kahan's <c>(u - 1) * (x / log u)</c>,
/// <c>u = e^x</c>, per double lane (CoreLib's double exp and log), rounded once to float. Lane selects: <c>u == 1</c> gives x,
/// <c>u == 0</c> gives -1 and <c>u == +inf</c> gives +inf, as <see cref="SpecialFunctions.Expm1(double)"/>.
/// </summary>
internal readonly struct Expm1FloatOperator : IUnaryKernel<float>
{
    public float Invoke(float x) => (float)SpecialFunctions.Expm1(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        return Vector128.Narrow(Expm1(lo), Expm1(hi));

        static Vector128<double> Expm1(Vector128<double> v)
        {
            Vector128<double> u = Vector128.Exp(v), um1 = u - Vector128<double>.One, r = um1 * (v / Vector128.Log(u));
            r = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<double>.Zero) | Vector128.Equals(u, Vector128.Create(double.PositiveInfinity)), um1, r);
            return Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<double>.One), v, r);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        return Vector256.Narrow(Expm1(lo), Expm1(hi));

        static Vector256<double> Expm1(Vector256<double> v)
        {
            Vector256<double> u = Vector256.Exp(v), um1 = u - Vector256<double>.One, r = um1 * (v / Vector256.Log(u));
            r = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.Zero) | Vector256.Equals(u, Vector256.Create(double.PositiveInfinity)), um1, r);
            return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), v, r);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        return Vector512.Narrow(Expm1(lo), Expm1(hi));

        static Vector512<double> Expm1(Vector512<double> v)
        {
            Vector512<double> u = Vector512.Exp(v), um1 = u - Vector512<double>.One, r = um1 * (v / Vector512.Log(u));
            r = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.Zero) | Vector512.Equals(u, Vector512.Create(double.PositiveInfinity)), um1, r);
            return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.One), v, r);
        }
    }
}
