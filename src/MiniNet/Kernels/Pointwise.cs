using System;
using System.Numerics;

namespace MiniNet;

/// <summary>A scalar function of one value, as a static member of a struct (specialised by the JIT, no delegate call).</summary>
internal interface IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>f(x).</summary>
    static abstract T Invoke(T x);
}

/// <summary>A scalar function of two values (see <see cref="IScalarFunction{T}"/>).</summary>
internal interface IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>f(x, y).</summary>
    static abstract T Invoke(T x, T y);
}

/// <summary>
/// Scalar drivers for the pointwise ops whose functions have no vector form here (erf, log1p, expm1, softplus), and the
/// write-or-accumulate driver of the vectorised backward rules:
/// a plain loop the JIT specialises per function struct. The broadcasting ones expand their operands to the output
/// shape once (<see cref="Elementwise.ExpandTo{T}"/>, a copy only when a shape differs).
/// </summary>
internal static class Pointwise
{
    /// <summary>
    /// A backward rule's input gradient from the vectorised kernel <paramref name="op"/>: <c>grad[i] += f(x[i], g[i])</c>
    /// when <paramref name="accumulate"/>, else <c>grad[i] = f(x[i], g[i])</c>, for a buffer from
    /// <c>GradFor(i, out accumulate)</c> that holds no gradient yet (a fresh leaf gradient is then neither cleared nor read).
    /// </summary>
    public static void Gradient<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> grad, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IBinaryKernel<T>
    {
        if (accumulate)
        {
            Vectorized.Accumulate(op, x, g, grad);
        }
        else
        {
            Vectorized.Map(op, x, g, grad);
        }
    }

    /// <summary><c>d[i] = f(x[i])</c>; <paramref name="d"/> may be <paramref name="x"/>.</summary>
    public static void Map<T, TOp>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IScalarFunction<T>
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = TOp.Invoke(x[i]);
        }
    }

    /// <summary><c>grad[i] += g[i] * f'(x[i])</c>, with <typeparamref name="TOp"/> the derivative f'.</summary>
    public static void AccumulateProduct<T, TOp>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> grad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IScalarFunction<T>
    {
        if (grad.IsEmpty)
        {
            return;
        }

        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] += g[i] * TOp.Invoke(x[i]);
        }
    }

    /// <summary>A constant tensor of <paramref name="x"/>'s shape holding <c>f(x[i])</c> (a mask or a piecewise-constant factor).</summary>
    public static Tensor<T> Constant<T, TOp>(Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IScalarFunction<T>
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        Map<T, TOp>(x.KernelReadSpan, result.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans do not keep storage from the pool (see StoragePool)
        return result;
    }

    /// <summary>
    /// <c>f(a, b)</c> per element of the broadcast shape, with <typeparamref name="TOp"/> a scalar function; for ops
    /// (comparisons, minimum, pow) whose backward or result is not a TensorPrimitives call.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names <paramref name="op"/> and both shapes.</exception>
    public static Tensor<T> Binary<T, TOp>(Tensor<T> a, Tensor<T> b, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IScalarFunction2<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shape shape = Broadcast.Shapes(a.Shape, b.Shape, op);
        var output = Tensor<T>.Uninitialized(shape);
        Span<T> d = output.KernelWriteSpan;
        if (b.Count == 1 && a.Count == d.Length)
        {
            ReadOnlySpan<T> x = a.KernelReadSpan;
            T y = b.KernelReadSpan[0];
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = TOp.Invoke(x[i], y);
            }

            return output;
        }

        ReadOnlySpan<T> ax = Elementwise.ExpandTo(a, shape), bx = Elementwise.ExpandTo(b, shape);
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = TOp.Invoke(ax[i], bx[i]);
        }

        GC.KeepAlive(a); // kernel spans do not keep storage from the pool (see StoragePool)
        GC.KeepAlive(b);
        return output;
    }
}
