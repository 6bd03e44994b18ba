using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <c>tanh</c>, vectorised, within 2 ulp of the exact value over the whole range (docs/accuracy.md).
/// <c>TensorPrimitives.Tanh</c> computes <c>(e^2x - 1) / (e^2x + 1)</c>, which cancels near 0: it returned 0 for
/// |x| below ~1e-8 (double) and was off by up to 45 % at 1e-7 (float). Here:
/// <list type="bullet">
/// <item>|x| &lt; 0.55: Lambert's continued fraction <c>x / (1 + x^2 / (3 + x^2 / (5 + ... x^2 / (2K + 1))))</c>, evaluated
/// from the bottom (K = 8 for double, 5 for float; the truncation is below 1e-17 and 1e-9 relative at 0.55). Every term is
/// positive, so nothing cancels, and each rounding below the top is damped by <c>x^2 / d &lt;= 0.1</c>. Subnormal x give x.</item>
/// <item>|x| &gt;= 0.55: <c>sign(x) (1 - 2 / (e^(2|x|) + 1))</c>; the result is at least 1/2, so the subtraction is benign,
/// and e^(2|x|) = +inf gives exactly 1.</item>
/// </list>
/// NaN gives NaN, +-inf gives +-1, -0 gives -0. Pure map: the last full vector is computed before any store (in place is safe).
/// </summary>
internal static class Hyperbolic
{
    private const double Split = 0.55;

    /// <summary><c>y[i] = tanh(x[i])</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Kernel spans differ in length: {x.Length}, {y.Length}.");
        }

        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, last = n - w;
            Vector512<T> end = Tanh(Vector512.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                Tanh(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }

            end.StoreUnsafe(ref yr, last);
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, last = n - w;
            Vector256<T> end = Tanh(Vector256.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                Tanh(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }

            end.StoreUnsafe(ref yr, last);
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, last = n - w;
            Vector128<T> end = Tanh(Vector128.LoadUnsafe(ref xr, last));
            for (; i < last; i += w)
            {
                Tanh(Vector128.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }

            end.StoreUnsafe(ref yr, last);
            return;
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = Tanh(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary>The scalar definition (see the class remarks).</summary>
    internal static T Tanh<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T a = T.Abs(x);
        if (a < T.CreateTruncating(Split))
        {
            T z = x * x;
            T d = T.CreateTruncating((2 * Depth<T>()) + 1);
            for (int m = (2 * Depth<T>()) - 1; m >= 1; m -= 2)
            {
                d = T.CreateTruncating(m) + (z / d);
            }

            return x / d;
        }

        T t = T.One - (T.CreateTruncating(2) / (T.Exp(a + a) + T.One));
        return T.IsNegative(x) ? -t : t;
    }

    private static Vector512<T> Tanh<T>(Vector512<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> a = Vector512.Abs(x), z = x * x;
        Vector512<T> d = Vector512.Create(T.CreateTruncating((2 * Depth<T>()) + 1));
        for (int m = (2 * Depth<T>()) - 1; m >= 1; m -= 2)
        {
            d = Vector512.Create(T.CreateTruncating(m)) + (z / d);
        }

        Vector512<T> two = Vector512.Create(T.CreateTruncating(2));
        Vector512<T> large = Vector512<T>.One - (two / (Exp(a + a) + Vector512<T>.One));
        large = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), -large, large);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(T.CreateTruncating(Split))), x / d, large);
    }

    private static Vector256<T> Tanh<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> a = Vector256.Abs(x), z = x * x;
        Vector256<T> d = Vector256.Create(T.CreateTruncating((2 * Depth<T>()) + 1));
        for (int m = (2 * Depth<T>()) - 1; m >= 1; m -= 2)
        {
            d = Vector256.Create(T.CreateTruncating(m)) + (z / d);
        }

        Vector256<T> two = Vector256.Create(T.CreateTruncating(2));
        Vector256<T> large = Vector256<T>.One - (two / (Exp(a + a) + Vector256<T>.One));
        large = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), -large, large);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(T.CreateTruncating(Split))), x / d, large);
    }

    private static Vector128<T> Tanh<T>(Vector128<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector128<T> a = Vector128.Abs(x), z = x * x;
        Vector128<T> d = Vector128.Create(T.CreateTruncating((2 * Depth<T>()) + 1));
        for (int m = (2 * Depth<T>()) - 1; m >= 1; m -= 2)
        {
            d = Vector128.Create(T.CreateTruncating(m)) + (z / d);
        }

        Vector128<T> two = Vector128.Create(T.CreateTruncating(2));
        Vector128<T> large = Vector128<T>.One - (two / (Exp(a + a) + Vector128<T>.One));
        large = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), -large, large);
        return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(T.CreateTruncating(Split))), x / d, large);
    }

    // The continued fraction's depth K: float needs 5 levels, double 8 (folded by the JIT: T is float or double).
    private static int Depth<T>() => typeof(T) == typeof(float) ? 5 : 8;

    private static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();

    private static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();

    private static Vector128<T> Exp<T>(Vector128<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();
}
