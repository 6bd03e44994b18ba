using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// A binary elementwise kernel over spans, specialised per struct by the JIT (no per-element virtual call).
/// Implementations forward to <see cref="System.Numerics.Tensors.TensorPrimitives"/>, which vectorises them.
/// </summary>
internal interface IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary><c>destination[i] = f(x[i], y[i])</c>.</summary>
    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary><c>destination[i] = f(x[i], y)</c>.</summary>
    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);

    /// <summary><c>destination[i] = f(x, y[i])</c>.</summary>
    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}

/// <summary>Drivers that apply operators to whole tensors, handling broadcasting.</summary>
internal static class Elementwise
{
    /// <summary>
    /// <c>f(a, b)</c> with NumPy/PyTorch broadcasting. Equal shapes, a one-element operand, and an operand that
    /// matches the trailing dimensions (a bias row) run as flat span calls; other patterns expand first.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes are not broadcastable.</exception>
    public static Tensor<T> Binary<T, TOp>(Tensor<T> a, Tensor<T> b, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IBinaryOperator<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shape shape = Broadcast.Shapes(a.Shape, b.Shape, op);
        var output = Tensor<T>.Uninitialized(shape); // every branch below writes all of it
        // Kernel spans leave the output poolable once it is garbage; a and b stay reachable until the end (KeepAlive).
        ReadOnlySpan<T> x = a.KernelReadSpan, y = b.KernelReadSpan;
        Span<T> destination = output.KernelWriteSpan;
        if (shape.ElementCount == 0)
        {
            return output;
        }

        if (a.Shape == b.Shape)
        {
            TOp.Invoke(x, y, destination);
        }
        else if (b.Count == 1 && a.Count == shape.ElementCount)
        {
            TOp.Invoke(x, y[0], destination);
        }
        else if (a.Count == 1 && b.Count == shape.ElementCount)
        {
            TOp.Invoke(x[0], y, destination);
        }
        else if (a.Count == shape.ElementCount && IsTrailingBlock(b.Shape, shape))
        {
            for (int offset = 0; offset < destination.Length; offset += y.Length)
            {
                TOp.Invoke(x.Slice(offset, y.Length), y, destination.Slice(offset, y.Length));
            }
        }
        else if (b.Count == shape.ElementCount && IsTrailingBlock(a.Shape, shape))
        {
            for (int offset = 0; offset < destination.Length; offset += x.Length)
            {
                TOp.Invoke(x, y.Slice(offset, x.Length), destination.Slice(offset, x.Length));
            }
        }
        else
        {
            ReadOnlySpan<T> ax = ExpandTo(a, shape), bx = ExpandTo(b, shape);
            TOp.Invoke(ax, bx, destination);
        }

        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return output;
    }

    /// <summary>
    /// <paramref name="t"/>'s values broadcast to <paramref name="shape"/>, exactly its element count long: its own
    /// elements through its kernel span when it already has that shape (the caller keeps <paramref name="t"/> reachable
    /// while it reads them), else an expanded copy.
    /// </summary>
    public static ReadOnlySpan<T> ExpandTo<T>(Tensor<T> t, Shape shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (t.Shape == shape)
        {
            return t.KernelReadSpan;
        }

        var expanded = new T[shape.ElementCount];
        Broadcast.Expand(t.KernelReadSpan, t.Shape, expanded, shape);
        return expanded;
    }

    /// <summary>True when <paramref name="small"/>'s dimensions (ignoring leading 1s) equal the trailing dimensions of <paramref name="full"/>.</summary>
    private static bool IsTrailingBlock(Shape small, Shape full)
    {
        ReadOnlySpan<int> s = small.Dims;
        while (s.Length > 0 && s[0] == 1)
        {
            s = s[1..];
        }

        return s.Length <= full.Rank && s.SequenceEqual(full.Dims[(full.Rank - s.Length)..]);
    }
}
