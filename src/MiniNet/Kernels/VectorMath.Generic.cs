using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

/// <summary>
/// <see cref="VectorMath"/> for a generic <c>T</c> (float or double) at every width, so an operator struct writes its
/// maths once per width. The <c>typeof</c> tests fold away when the JIT specialises <c>T</c>.
/// </summary>
internal static partial class VectorMath
{
    /// <summary><c>e^x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Exp(x.AsSingle()).As<float, T>() : Exp(x.AsDouble()).As<double, T>();

    /// <summary><c>e^x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Exp(x.AsSingle()).As<float, T>() : Exp(x.AsDouble()).As<double, T>();

    /// <summary><c>e^x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Exp(x.AsSingle()).As<float, T>() : Exp(x.AsDouble()).As<double, T>();

    /// <summary><c>ln x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Log(x.AsSingle()).As<float, T>() : Log(x.AsDouble()).As<double, T>();

    /// <summary><c>ln x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Log(x.AsSingle()).As<float, T>() : Log(x.AsDouble()).As<double, T>();

    /// <summary><c>ln x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Log(x.AsSingle()).As<float, T>() : Log(x.AsDouble()).As<double, T>();

    // log1p(u) for u in [0, 1]. Float: Log1P, which never rounds 1 + u. Double: with w = 1 + u rounded, log(w) is exact
    // for the rounded argument and -((w - 1) - u) / w is the first-order correction for the rounding of w (when w == 1
    // it yields u). (T.LogP1 is log(1 + u) as written, which returns 0 for u below eps/2 instead of u.)

    /// <summary><c>ln(1 + u)</c> per lane for u in [0, 1] (see the comment above for the method).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log1PUnit<T>(Vector512<T> u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Log1P(u.AsSingle()).As<float, T>();
        }

        Vector512<T> w = Vector512<T>.One + u;
        return Log(w.AsDouble()).As<double, T>() - ((w - Vector512<T>.One - u) / w);
    }

    /// <summary><c>ln(1 + u)</c> per lane for u in [0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log1PUnit<T>(Vector256<T> u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Log1P(u.AsSingle()).As<float, T>();
        }

        Vector256<T> w = Vector256<T>.One + u;
        return Log(w.AsDouble()).As<double, T>() - ((w - Vector256<T>.One - u) / w);
    }

    /// <summary><c>ln(1 + u)</c> per lane for u in [0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log1PUnit<T>(Vector128<T> u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Log1P(u.AsSingle()).As<float, T>();
        }

        Vector128<T> w = Vector128<T>.One + u;
        return Log(w.AsDouble()).As<double, T>() - ((w - Vector128<T>.One - u) / w);
    }

    /// <summary>
    /// <c>ln(1 + u)</c> for any u &gt;= 0 (the scalar definition of <c>Log1PUnit</c>, also used by LogSoftmax for sums
    /// above 1): the rounding correction of the comment above holds for every such u.
    /// </summary>
    public static T Log1P<T>(T u)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T w = T.One + u;
        return T.Log(w) - ((w - T.One - u) / w);
    }
}
