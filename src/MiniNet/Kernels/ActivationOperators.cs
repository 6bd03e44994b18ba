using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

// Operator structs of the pointwise activations (SiLU, softplus, leaky ReLU, tanh-GELU), forward and backward, for the
// Vectorized drivers. The scalar member is the definition; the vector members compute it lane by lane. Backward
// operators take (x, g) and return g f'(x), run by Vectorized.Accumulate into the gradient.

/// <summary><c>x sigma(x)</c> with the stable sigmoid of <see cref="SigmoidOperator{T}"/>.</summary>
internal readonly struct SiluOperator<T> : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x) => x * Logistic.Sigmoid(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) =>
        typeof(T) == typeof(float) ? SigmoidFloatLanes.Silu<Vector128<float>, FloatLanes128>(x.AsSingle()).As<float, T>() : x * default(SigmoidOperator<T>).Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) =>
        typeof(T) == typeof(float) ? SigmoidFloatLanes.Silu<Vector256<float>, FloatLanes256>(x.AsSingle()).As<float, T>() : x * default(SigmoidOperator<T>).Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) =>
        typeof(T) == typeof(float) ? SigmoidFloatLanes.Silu<Vector512<float>, FloatLanes512>(x.AsSingle()).As<float, T>() : x * default(SigmoidOperator<T>).Invoke(x);
}

/// <summary><c>g s (1 + x (1 - s))</c>, s = sigma(x): the derivative of <c>x sigma(x)</c> times the upstream g.</summary>
internal readonly struct SiluGradOperator<T> : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x, T g)
    {
        T s = Logistic.Sigmoid(x);
        return g * (s * (T.One + (x * (T.One - s))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g)
    {
        Vector128<T> s = default(SigmoidOperator<T>).Invoke(x);
        return g * (s * (Vector128<T>.One + (x * (Vector128<T>.One - s))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g)
    {
        Vector256<T> s = default(SigmoidOperator<T>).Invoke(x);
        return g * (s * (Vector256<T>.One + (x * (Vector256<T>.One - s))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g)
    {
        Vector512<T> s = default(SigmoidOperator<T>).Invoke(x);
        return g * (s * (Vector512<T>.One + (x * (Vector512<T>.One - s))));
    }
}

/// <summary>
/// <c>bx &gt; threshold ? x : (max(bx, 0) + log1p(e^-|bx|)) / b</c> with <c>bx = beta x</c>: <c>e^-|bx|</c> is in (0, 1],
/// so the vector log1p is <see cref="VectorMath.Log1PUnit{T}(Vector512{T})"/> and nothing overflows.
/// </summary>
internal readonly struct SoftplusOperator<T>(T beta, T threshold) : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x)
    {
        T bx = beta * x;
        return bx > threshold ? x : (T.Max(bx, T.Zero) + SpecialFunctions.Log1p(T.Exp(-T.Abs(bx)))) / beta;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x)
    {
        Vector128<T> b = Vector128.Create(beta), bx = b * x;
        Vector128<T> y = (Vector128.Max(bx, Vector128<T>.Zero) + VectorMath.Log1PUnit(VectorMath.Exp(-Vector128.Abs(bx)))) / b;
        return Vector128.ConditionalSelect(Vector128.GreaterThan(bx, Vector128.Create(threshold)), x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x)
    {
        Vector256<T> b = Vector256.Create(beta), bx = b * x;
        Vector256<T> y = (Vector256.Max(bx, Vector256<T>.Zero) + VectorMath.Log1PUnit(VectorMath.Exp(-Vector256.Abs(bx)))) / b;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(bx, Vector256.Create(threshold)), x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x)
    {
        Vector512<T> b = Vector512.Create(beta), bx = b * x;
        Vector512<T> y = (Vector512.Max(bx, Vector512<T>.Zero) + VectorMath.Log1PUnit(VectorMath.Exp(-Vector512.Abs(bx)))) / b;
        return Vector512.ConditionalSelect(Vector512.GreaterThan(bx, Vector512.Create(threshold)), x, y);
    }
}

/// <summary><c>bx &gt; threshold ? g : g sigma(bx)</c>: the derivative of softplus times the upstream g.</summary>
internal readonly struct SoftplusGradOperator<T>(T beta, T threshold) : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x, T g)
    {
        T bx = beta * x;
        return bx > threshold ? g : g * Logistic.Sigmoid(bx);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g)
    {
        Vector128<T> bx = Vector128.Create(beta) * x;
        return Vector128.ConditionalSelect(Vector128.GreaterThan(bx, Vector128.Create(threshold)), g, g * default(SigmoidOperator<T>).Invoke(bx));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g)
    {
        Vector256<T> bx = Vector256.Create(beta) * x;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(bx, Vector256.Create(threshold)), g, g * default(SigmoidOperator<T>).Invoke(bx));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g)
    {
        Vector512<T> bx = Vector512.Create(beta) * x;
        return Vector512.ConditionalSelect(Vector512.GreaterThan(bx, Vector512.Create(threshold)), g, g * default(SigmoidOperator<T>).Invoke(bx));
    }
}

/// <summary><c>x &gt; 0 ? x : slope x</c> (NaN stays NaN), and with a second operand g its backward <c>x &gt; 0 ? g : slope g</c>.</summary>
internal readonly struct LeakyReluOperator<T>(T slope) : IUnaryKernel<T>, IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > T.Zero ? x : slope * x;

    public T Invoke(T x, T g) => x > T.Zero ? g : slope * g;

    public Vector128<T> Invoke(Vector128<T> x) => Invoke(x, x);

    public Vector256<T> Invoke(Vector256<T> x) => Invoke(x, x);

    public Vector512<T> Invoke(Vector512<T> x) => Invoke(x, x);

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), g, Vector128.Create(slope) * g);

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), g, Vector256.Create(slope) * g);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), g, Vector512.Create(slope) * g);
}

/// <summary>
/// The tanh GELU, <c>x (1 + tanh(u)) / 2</c> with <c>u = sqrt(2/pi)(x + 0.044715 x^3)</c>, computed as the equal
/// <c>x sigma(2u)</c>: PyTorch's <c>1 + tanh(u)</c> cancels for x below about -3 (relative error growing to 100 % where
/// tanh rounds to -1), the stable sigmoid does not.
/// </summary>
internal readonly struct GeluTanhOperator<T> : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const double Kappa = 0.044715;
    public const double SqrtTwoOverPi = 0.79788456080286535588;

    public T Invoke(T x) => x * Logistic.Sigmoid(TwoU(x));

    public Vector128<T> Invoke(Vector128<T> x) => x * default(SigmoidOperator<T>).Invoke(TwoU(x));

    public Vector256<T> Invoke(Vector256<T> x) => x * default(SigmoidOperator<T>).Invoke(TwoU(x));

    public Vector512<T> Invoke(Vector512<T> x) => x * default(SigmoidOperator<T>).Invoke(TwoU(x));

    /// <summary><c>2u = 2 sqrt(2/pi) x (1 + kappa x^2)</c>.</summary>
    internal static T TwoU(T x) => T.CreateTruncating(2 * SqrtTwoOverPi) * x * (T.One + (T.CreateTruncating(Kappa) * x * x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> TwoU(Vector128<T> x) => Vector128.Create(T.CreateTruncating(2 * SqrtTwoOverPi)) * x * (Vector128<T>.One + (Vector128.Create(T.CreateTruncating(Kappa)) * x * x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> TwoU(Vector256<T> x) => Vector256.Create(T.CreateTruncating(2 * SqrtTwoOverPi)) * x * (Vector256<T>.One + (Vector256.Create(T.CreateTruncating(Kappa)) * x * x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> TwoU(Vector512<T> x) => Vector512.Create(T.CreateTruncating(2 * SqrtTwoOverPi)) * x * (Vector512<T>.One + (Vector512.Create(T.CreateTruncating(Kappa)) * x * x));
}

/// <summary>
/// <c>g (s + 2 x s (1 - s) sqrt(2/pi)(1 + 3 kappa x^2))</c>, s = sigma(2u): PyTorch's tanh-GELU backward
/// <c>(1 + t)/2 + x (1 - t^2) u' / 2</c> with <c>(1 + t)/2 = s</c> and <c>1 - t^2 = 4 s (1 - s)</c>.
/// </summary>
internal readonly struct GeluTanhGradOperator<T> : IBinaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static T C => T.CreateTruncating(2 * GeluTanhOperator<T>.SqrtTwoOverPi);

    private static T C3K => T.CreateTruncating(3 * GeluTanhOperator<T>.Kappa);

    public T Invoke(T x, T g)
    {
        T s = Logistic.Sigmoid(GeluTanhOperator<T>.TwoU(x));
        return g * (s + (x * s * (T.One - s) * C * (T.One + (C3K * x * x))));
    }

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g)
    {
        Vector128<T> s = default(SigmoidOperator<T>).Invoke(GeluTanhOperator<T>.TwoU(x));
        return g * (s + (x * s * (Vector128<T>.One - s) * Vector128.Create(C) * (Vector128<T>.One + (Vector128.Create(C3K) * x * x))));
    }

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g)
    {
        Vector256<T> s = default(SigmoidOperator<T>).Invoke(GeluTanhOperator<T>.TwoU(x));
        return g * (s + (x * s * (Vector256<T>.One - s) * Vector256.Create(C) * (Vector256<T>.One + (Vector256.Create(C3K) * x * x))));
    }

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g)
    {
        Vector512<T> s = default(SigmoidOperator<T>).Invoke(GeluTanhOperator<T>.TwoU(x));
        return g * (s + (x * s * (Vector512<T>.One - s) * Vector512.Create(C) * (Vector512<T>.One + (Vector512.Create(C3K) * x * x))));
    }
}
