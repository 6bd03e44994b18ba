using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MiniNet;

/// <summary>
/// Kernels of the logistic family: the fused BCE-with-logits loss and gradient, and the sigmoid and its backward. Each is
/// an operator struct (<see cref="SigmoidOperator{T}"/> and its neighbours) run by a <see cref="Vectorized"/> driver at 512, 256 or 128 bits
/// or in scalar code. Float exp and log are <see cref="VectorMath"/>'s inlined polynomials.
/// </summary>
internal static class Logistic
{
    /// <summary><c>loss[i] = max(z, 0) - z*y + log1p(exp(-|z|))</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, 1] or NaN; the message names its index and value.</exception>
    public static void BceWithLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> loss)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The per-element form checks the targets in their own (vectorised, memory-bound) pass before writing, so a
        // bad target leaves the output untouched; the summed form below needs no extra pass.
        RequireUnitInterval(y, "targets", "BinaryCrossEntropyWithLogits");
        Vectorized.Map(default(BceWithLogitsOperator<T>), z, y, loss);
    }

    /// <summary><c>sum_i max(z, 0) - z*y + log1p(exp(-|z|))</c> (one partial sum per lane, then the lanes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, 1] or NaN; the message names its index and value.</exception>
    public static T BceWithLogitsSum<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The operator turns a bad target into NaN, so only a NaN sum (rare: also a NaN logit) pays for a search.
        T sum = Vectorized.Sum(default(BceWithLogitsOperator<T>), z, y);
        if (T.IsNaN(sum))
        {
            RequireUnitInterval(y, "targets", "BinaryCrossEntropyWithLogits");
        }

        return sum;
    }

    /// <summary>
    /// <c>grad[i] += (sigma(z) - y) * u</c>, with <c>u = upstream[i]</c>, or <paramref name="upstreamScalar"/> for every
    /// element when <paramref name="upstream"/> is empty.
    /// </summary>
    public static void BceWithLogitsGrad<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> upstream, T upstreamScalar, Span<T> grad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (upstream.IsEmpty && !z.IsEmpty)
        {
            Vectorized.Accumulate(new BceWithLogitsSharedGradOperator<T>(upstreamScalar), z, y, grad);
        }
        else
        {
            Vectorized.Accumulate(default(BceWithLogitsGradOperator<T>), z, y, upstream, grad);
        }
    }

    /// <summary><c>s[i] = 1 / (1 + exp(-x[i]))</c>, computed as <see cref="Sigmoid{T}(T)"/> does, so no exponent is positive.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vectorized.Map(default(SigmoidOperator<T>), x, s);

    /// <summary><c>grad[i] += g[i] * s[i] * (1 - s[i])</c>, in that order of operations, so equal to the scalar loop bit for bit.</summary>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> g, Span<T> grad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vectorized.Accumulate(default(SigmoidGradOperator<T>), s, g, grad);

    /// <summary>The logistic function of one value, computed without overflow for any finite z.</summary>
    public static T Sigmoid<T>(T z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }

        T e = T.Exp(z);
        return e / (T.One + e);
    }

    /// <summary>The scalar definition: <c>max(z,0) - z*y + log1p(e^-|z|)</c>; the exponent is never positive, so nothing overflows.</summary>
    internal static T Bce<T>(T z, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.IsInfinity(z) ? BceAtInfinity(z, y) : T.Max(z, T.Zero) - (z * y) + VectorMath.Log1P(T.Exp(-T.Abs(z)));

    /// <summary>
    /// The loss at an infinite logit, its limit: <c>(1 - y) z</c> at <c>+inf</c> and <c>-y z</c> at <c>-inf</c>, i.e. 0 when the
    /// target matches (y = 1 at +inf, y = 0 at -inf) and +inf otherwise. PyTorch (libtorch 2.x, TorchSharp) computes
    /// <c>(1 - y) z - logsigmoid(z)</c> and agrees on +inf for y &lt; 1 at <c>+inf</c>, but returns NaN for y = 1 at
    /// <c>+inf</c> and for every y at <c>-inf</c> (<c>inf - inf</c>, <c>0 * inf</c>); MiniNet returns the limit there
    /// instead of a NaN that would poison a summed loss. The gradients, <c>sigma(z) - y</c> and <c>-z</c>, are PyTorch's.
    /// </summary>
    internal static T BceAtInfinity<T>(T z, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        (z > T.Zero && y == T.One) || (z < T.Zero && y == T.Zero) ? T.Zero : T.PositiveInfinity;

    /// <summary>Throws when a value of <paramref name="values"/> is outside [0, 1] or NaN, naming the first one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside [0, 1] or NaN.</exception>
    public static void RequireUnitInterval<T>(ReadOnlySpan<T> values, string name, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int index = Vectorized.IndexOfOutside(values, T.Zero, T.One);
        if (index >= 0)
        {
            ThrowOutsideUnitInterval(values[index], index, name, op);
        }
    }

    /// <summary>Throws when <paramref name="value"/> (element <paramref name="index"/>) is outside [0, 1] or NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1] or NaN.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireUnitInterval<T>(T value, int index, string name, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(value >= T.Zero && value <= T.One))
        {
            ThrowOutsideUnitInterval(value, index, name, op);
        }
    }

    /// <summary>Throws the range error for <c><paramref name="name"/>[<paramref name="index"/>] = <paramref name="value"/></c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowOutsideUnitInterval<T>(T value, int index, string name, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        throw new ArgumentOutOfRangeException(
            name,
            value,
            string.Create(CultureInfo.InvariantCulture, $"{op}: {name}[{index}] = {value:R} is outside [0, 1]; all elements of {name} must be between 0 and 1."));
}
