using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// Vectorised kernels of the logistic family: the fused BCE-with-logits loss and gradient, and the sigmoid and its backward.
/// Each runs 512-bit vectors when the span holds at least one, else 256-bit, else scalar code (the scalar code is the
/// definition, and finishes every tail). Pure maps redo the last full vector, computed before any store, so in-place
/// calls are safe; accumulating kernels (<c>grad += ...</c>) finish with scalar code so nothing is added twice.
/// AggressiveOptimization skips tier 0, where the Vector helpers would not be inlined (see <see cref="Gemm"/>); float exp and
/// log are <see cref="VectorMath"/>'s inlined polynomials.
/// </summary>
internal static class Logistic
{
    /// <summary><c>loss[i] = max(z, 0) - z*y + log1p(exp(-|z|))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BceWithLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> loss)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RequireLengths(z.Length, y.Length, loss.Length);
        ref T zr = ref MemoryMarshal.GetReference(z), yr = ref MemoryMarshal.GetReference(y), lr = ref MemoryMarshal.GetReference(loss);
        nuint n = (nuint)z.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, last = n - w;
            Vector512<T> end = Bce(Vector512.LoadUnsafe(ref zr, last), Vector512.LoadUnsafe(ref yr, last));
            for (; i < last; i += w)
            {
                Bce(Vector512.LoadUnsafe(ref zr, i), Vector512.LoadUnsafe(ref yr, i)).StoreUnsafe(ref lr, i);
            }

            end.StoreUnsafe(ref lr, last);
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, last = n - w;
            Vector256<T> end = Bce(Vector256.LoadUnsafe(ref zr, last), Vector256.LoadUnsafe(ref yr, last));
            for (; i < last; i += w)
            {
                Bce(Vector256.LoadUnsafe(ref zr, i), Vector256.LoadUnsafe(ref yr, i)).StoreUnsafe(ref lr, i);
            }

            end.StoreUnsafe(ref lr, last);
            return;
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref lr, i) = Bce(Unsafe.Add(ref zr, i), Unsafe.Add(ref yr, i));
        }
    }

    /// <summary><c>sum_i max(z, 0) - z*y + log1p(exp(-|z|))</c> (one partial sum per lane, then the lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T BceWithLogitsSum<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RequireLengths(z.Length, y.Length, y.Length);
        ref T zr = ref MemoryMarshal.GetReference(z), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)z.Length, i = 0;
        T sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            Vector512<T> acc = Vector512<T>.Zero;
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                acc += Bce(Vector512.LoadUnsafe(ref zr, i), Vector512.LoadUnsafe(ref yr, i));
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            Vector256<T> acc = Vector256<T>.Zero;
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                acc += Bce(Vector256.LoadUnsafe(ref zr, i), Vector256.LoadUnsafe(ref yr, i));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Bce(Unsafe.Add(ref zr, i), Unsafe.Add(ref yr, i));
        }

        return sum;
    }

    /// <summary>
    /// <c>grad[i] += (sigma(z) - y) * u</c>, with <c>u = upstream[i]</c>, or <paramref name="upstreamScalar"/> for every
    /// element when <paramref name="upstream"/> is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BceWithLogitsGrad<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> upstream, T upstreamScalar, Span<T> grad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RequireLengths(z.Length, y.Length, grad.Length);
        bool perElement = !upstream.IsEmpty;
        RequireLengths(z.Length, perElement ? upstream.Length : z.Length, z.Length);
        ref T zr = ref MemoryMarshal.GetReference(z), yr = ref MemoryMarshal.GetReference(y);
        ref T ur = ref MemoryMarshal.GetReference(upstream), gr = ref MemoryMarshal.GetReference(grad);
        nuint n = (nuint)z.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            Vector512<T> scalar = Vector512.Create(upstreamScalar);
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                Vector512<T> u = perElement ? Vector512.LoadUnsafe(ref ur, i) : scalar;
                Vector512<T> difference = Sigma(Vector512.LoadUnsafe(ref zr, i)) - Vector512.LoadUnsafe(ref yr, i);
                (Vector512.LoadUnsafe(ref gr, i) + (difference * u)).StoreUnsafe(ref gr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            Vector256<T> scalar = Vector256.Create(upstreamScalar);
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                Vector256<T> u = perElement ? Vector256.LoadUnsafe(ref ur, i) : scalar;
                Vector256<T> difference = Sigma(Vector256.LoadUnsafe(ref zr, i)) - Vector256.LoadUnsafe(ref yr, i);
                (Vector256.LoadUnsafe(ref gr, i) + (difference * u)).StoreUnsafe(ref gr, i);
            }
        }

        for (; i < n; i++)
        {
            T u = perElement ? Unsafe.Add(ref ur, i) : upstreamScalar;
            Unsafe.Add(ref gr, i) += (Ops.StableSigmoid(Unsafe.Add(ref zr, i)) - Unsafe.Add(ref yr, i)) * u;
        }
    }

    /// <summary><c>s[i] = 1 / (1 + exp(-x[i]))</c>, computed as <see cref="Ops.StableSigmoid{T}"/> does, so no exponent is positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RequireLengths(x.Length, s.Length, s.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), sr = ref MemoryMarshal.GetReference(s);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, last = n - w;
            Vector512<T> end = Sigma(Vector512.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                Sigma(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref sr, i);
            }

            end.StoreUnsafe(ref sr, last);
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, last = n - w;
            Vector256<T> end = Sigma(Vector256.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                Sigma(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref sr, i);
            }

            end.StoreUnsafe(ref sr, last);
            return;
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref sr, i) = Ops.StableSigmoid(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary><c>grad[i] += g[i] * s[i] * (1 - s[i])</c>, in that order of operations, so equal to the scalar loop bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> g, Span<T> grad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RequireLengths(s.Length, g.Length, grad.Length);
        ref T sr = ref MemoryMarshal.GetReference(s), ur = ref MemoryMarshal.GetReference(g), gr = ref MemoryMarshal.GetReference(grad);
        nuint n = (nuint)s.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            for (nuint w = (nuint)Vector512<T>.Count; i <= n - w; i += w)
            {
                Vector512<T> sv = Vector512.LoadUnsafe(ref sr, i);
                (Vector512.LoadUnsafe(ref gr, i) + (Vector512.LoadUnsafe(ref ur, i) * sv * (Vector512<T>.One - sv))).StoreUnsafe(ref gr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            for (nuint w = (nuint)Vector256<T>.Count; i <= n - w; i += w)
            {
                Vector256<T> sv = Vector256.LoadUnsafe(ref sr, i);
                (Vector256.LoadUnsafe(ref gr, i) + (Vector256.LoadUnsafe(ref ur, i) * sv * (Vector256<T>.One - sv))).StoreUnsafe(ref gr, i);
            }
        }

        for (; i < n; i++)
        {
            T sv = Unsafe.Add(ref sr, i);
            Unsafe.Add(ref gr, i) += Unsafe.Add(ref ur, i) * sv * (T.One - sv);
        }
    }

    /// <summary>The scalar definition: <c>max(z,0) - z*y + log1p(e^-|z|)</c>; the exponent is never positive, so nothing overflows.</summary>
    internal static T Bce<T>(T z, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Max(z, T.Zero) - (z * y) + Log1P(T.Exp(-T.Abs(z)));

    private static Vector512<T> Bce<T>(Vector512<T> z, Vector512<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector512.Max(z, Vector512<T>.Zero) - (z * y) + Log1P(Exp(-Vector512.Abs(z)));

    private static Vector256<T> Bce<T>(Vector256<T> z, Vector256<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector256.Max(z, Vector256<T>.Zero) - (z * y) + Log1P(Exp(-Vector256.Abs(z)));

    // sigma(z) from e = exp(-|z|) in (0, 1]: 1/(1+e) for z >= 0, e/(1+e) below, so neither branch can overflow.
    private static Vector512<T> Sigma<T>(Vector512<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> e = Exp(-Vector512.Abs(z));
        Vector512<T> r = Vector512<T>.One / (Vector512<T>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<T>.Zero), r, e * r);
    }

    private static Vector256<T> Sigma<T>(Vector256<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> e = Exp(-Vector256.Abs(z));
        Vector256<T> r = Vector256<T>.One / (Vector256<T>.One + e);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), r, e * r);
    }

    // log1p(u) for u in [0, 1] without a log1p intrinsic: with w = 1 + u rounded, log(w) is exact for the rounded
    // argument, and -((w - 1) - u) / w is the first-order correction for the rounding of w (when w == 1 it yields u).
    // (T.LogP1 is log(1 + u) as written, which returns 0 for u below eps/2 instead of u.) Float vectors need no
    // correction: VectorMath.Log1P never rounds 1 + u.
    internal static T Log1P<T>(T u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T w = T.One + u;
        return T.Log(w) - ((w - T.One - u) / w);
    }

    private static Vector512<T> Log1P<T>(Vector512<T> u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return VectorMath.Log1P(u.AsSingle()).As<float, T>();
        }

        Vector512<T> w = Vector512<T>.One + u;
        return VectorMath.Log(w.AsDouble()).As<double, T>() - ((w - Vector512<T>.One - u) / w);
    }

    private static Vector256<T> Log1P<T>(Vector256<T> u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return VectorMath.Log1P(u.AsSingle()).As<float, T>();
        }

        Vector256<T> w = Vector256<T>.One + u;
        return VectorMath.Log(w.AsDouble()).As<double, T>() - ((w - Vector256<T>.One - u) / w);
    }

    // The typeof tests fold away: T is float or double (the constraint admits Half etc., which Tensor never uses).
    private static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();

    private static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();

    private static void RequireLengths(int a, int b, int c)
    {
        if (a != b || a != c)
        {
            throw new ArgumentException($"Kernel spans differ in length: {a}, {b}, {c}.");
        }
    }
}
