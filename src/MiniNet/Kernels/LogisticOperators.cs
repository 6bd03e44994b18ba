using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

// The operator structs behind Logistic (see Vectorized for the driver contract). Each scalar member is the definition.

/// <summary>
/// <c>sigma(z)</c> from <c>e = exp(-|z|)</c> in (0, 1]: <c>1/(1+e)</c> for z &gt;= 0, <c>e/(1+e)</c> below, so nothing overflows.
/// Float lanes are <see cref="SigmoidFloatLanes"/>; double lanes take VectorMath's double exp and <c>e * (1/(1+e))</c>.
/// </summary>
internal readonly struct SigmoidOperator<T> : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T z) => Logistic.Sigmoid(z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return SigmoidFloatLanes.Sigmoid<Vector128<float>, FloatLanes128>(z.AsSingle()).As<float, T>();
        }

        Vector128<T> e = VectorMath.Exp(-Vector128.Abs(z));
        Vector128<T> r = Vector128<T>.One / (Vector128<T>.One + e);
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(z, Vector128<T>.Zero), r, e * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return SigmoidFloatLanes.Sigmoid<Vector256<float>, FloatLanes256>(z.AsSingle()).As<float, T>();
        }

        Vector256<T> e = VectorMath.Exp(-Vector256.Abs(z));
        Vector256<T> r = Vector256<T>.One / (Vector256<T>.One + e);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), r, e * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return SigmoidFloatLanes.Sigmoid<Vector512<float>, FloatLanes512>(z.AsSingle()).As<float, T>();
        }

        Vector512<T> e = VectorMath.Exp(-Vector512.Abs(z));
        Vector512<T> r = Vector512<T>.One / (Vector512<T>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<T>.Zero), r, e * r);
    }
}

/// <summary>
/// <c>max(z, 0) - z*y + log1p(exp(-|z|))</c>, or NaN where the target y is outside [0, 1] (or NaN), which is how the
/// loss kernels find bad targets without a second pass (see <see cref="Logistic.BceWithLogitsSum{T}"/>). At
/// <c>z = +-inf</c> the formula's <c>inf - inf</c> and <c>-inf * 0</c> are replaced by the limit (see
/// <see cref="Logistic.BceAtInfinity{T}"/>).
/// </summary>
internal readonly struct BceWithLogitsOperator<T> : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T z, T y) => y >= T.Zero && y <= T.One ? Logistic.Bce(z, y) : T.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> z, Vector128<T> y)
    {
        Vector128<T> loss = Vector128.Max(z, Vector128<T>.Zero) - (z * y) + VectorMath.Log1PUnit(VectorMath.Exp(-Vector128.Abs(z)));
        Vector128<T> matched = (Vector128.GreaterThan(z, Vector128<T>.Zero) & Vector128.Equals(y, Vector128<T>.One)) |
            (Vector128.LessThan(z, Vector128<T>.Zero) & Vector128.Equals(y, Vector128<T>.Zero));
        Vector128<T> infinity = Vector128.Create(T.PositiveInfinity);
        loss = Vector128.ConditionalSelect(Vector128.Equals(Vector128.Abs(z), infinity), Vector128.AndNot(infinity, matched), loss);
        Vector128<T> valid = Vector128.GreaterThanOrEqual(y, Vector128<T>.Zero) & Vector128.LessThanOrEqual(y, Vector128<T>.One);
        return Vector128.ConditionalSelect(valid, loss, Vector128.Create(T.NaN));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> z, Vector256<T> y)
    {
        Vector256<T> loss = Vector256.Max(z, Vector256<T>.Zero) - (z * y) + VectorMath.Log1PUnit(VectorMath.Exp(-Vector256.Abs(z)));
        Vector256<T> matched = (Vector256.GreaterThan(z, Vector256<T>.Zero) & Vector256.Equals(y, Vector256<T>.One)) |
            (Vector256.LessThan(z, Vector256<T>.Zero) & Vector256.Equals(y, Vector256<T>.Zero));
        Vector256<T> infinity = Vector256.Create(T.PositiveInfinity);
        loss = Vector256.ConditionalSelect(Vector256.Equals(Vector256.Abs(z), infinity), Vector256.AndNot(infinity, matched), loss);
        Vector256<T> valid = Vector256.GreaterThanOrEqual(y, Vector256<T>.Zero) & Vector256.LessThanOrEqual(y, Vector256<T>.One);
        return Vector256.ConditionalSelect(valid, loss, Vector256.Create(T.NaN));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> z, Vector512<T> y)
    {
        Vector512<T> loss = Vector512.Max(z, Vector512<T>.Zero) - (z * y) + VectorMath.Log1PUnit(VectorMath.Exp(-Vector512.Abs(z)));
        Vector512<T> matched = (Vector512.GreaterThan(z, Vector512<T>.Zero) & Vector512.Equals(y, Vector512<T>.One)) |
            (Vector512.LessThan(z, Vector512<T>.Zero) & Vector512.Equals(y, Vector512<T>.Zero));
        Vector512<T> infinity = Vector512.Create(T.PositiveInfinity);
        loss = Vector512.ConditionalSelect(Vector512.Equals(Vector512.Abs(z), infinity), Vector512.AndNot(infinity, matched), loss);
        Vector512<T> valid = Vector512.GreaterThanOrEqual(y, Vector512<T>.Zero) & Vector512.LessThanOrEqual(y, Vector512<T>.One);
        return Vector512.ConditionalSelect(valid, loss, Vector512.Create(T.NaN));
    }
}

/// <summary><c>(sigma(z) - y) * u</c> with a per-element upstream gradient u.</summary>
internal readonly struct BceWithLogitsGradOperator<T> : ITernaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T z, T y, T u) => (Logistic.Sigmoid(z) - y) * u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> z, Vector128<T> y, Vector128<T> u) => (default(SigmoidOperator<T>).Invoke(z) - y) * u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> z, Vector256<T> y, Vector256<T> u) => (default(SigmoidOperator<T>).Invoke(z) - y) * u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> z, Vector512<T> y, Vector512<T> u) => (default(SigmoidOperator<T>).Invoke(z) - y) * u;
}

/// <summary><c>(sigma(z) - y) * u</c> with one upstream gradient u for every element.</summary>
internal readonly struct BceWithLogitsSharedGradOperator<T>(T u) : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T z, T y) => (Logistic.Sigmoid(z) - y) * u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> z, Vector128<T> y) => (default(SigmoidOperator<T>).Invoke(z) - y) * Vector128.Create(u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> z, Vector256<T> y) => (default(SigmoidOperator<T>).Invoke(z) - y) * Vector256.Create(u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> z, Vector512<T> y) => (default(SigmoidOperator<T>).Invoke(z) - y) * Vector512.Create(u);
}

/// <summary><c>g * s * (1 - s)</c>, in that order of operations at every width, so all widths agree bit for bit.</summary>
internal readonly struct SigmoidGradOperator<T> : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T s, T g) => g * s * (T.One - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> s, Vector128<T> g) => g * s * (Vector128<T>.One - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> s, Vector256<T> g) => g * s * (Vector256<T>.One - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> s, Vector512<T> g) => g * s * (Vector512<T>.One - s);
}
