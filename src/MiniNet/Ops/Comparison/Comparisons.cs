using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Elementwise <c>a == b</c> with broadcasting, as a mask: <c>out[i] = a[i] == b[i] ? 1 : 0</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A mask of the broadcast shape holding 0 and 1 (NaN equals nothing). Never recorded: it has no gradient, even when an input requires one.</returns>
    /// <remarks>PyTorch: <c>torch.eq(a, b)</c> / <c>a == b</c>, which returns a bool tensor; MiniNet's masks are 0/1 of the element type, ready for <see cref="Where{T}(Tensor{T}, Tensor{T}, Tensor{T})"/>, <see cref="MaskedFill{T}(Tensor{T}, Tensor{T}, T)"/> or <see cref="Mul{T}(Tensor{T}, Tensor{T})"/>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Eq<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Pointwise.Binary<T, EqualTest<T>>(a, b, nameof(Eq));

    /// <summary>Elementwise <c>a != b</c> with broadcasting, as a 0/1 mask (NaN differs from everything, itself included).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A mask of the broadcast shape; never recorded (no gradient).</returns>
    /// <remarks>PyTorch: <c>torch.ne(a, b)</c> / <c>a != b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Ne<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Pointwise.Binary<T, NotEqualTest<T>>(a, b, nameof(Ne));

    /// <summary>Elementwise <c>a &lt; b</c> with broadcasting, as a 0/1 mask (0 where either is NaN).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A mask of the broadcast shape; never recorded (no gradient).</returns>
    /// <remarks>PyTorch: <c>torch.lt(a, b)</c> / <c>a &lt; b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Lt<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Pointwise.Binary<T, LessTest<T>>(a, b, nameof(Lt));

    /// <summary>Elementwise <c>a &lt;= b</c> with broadcasting, as a 0/1 mask (0 where either is NaN).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A mask of the broadcast shape; never recorded (no gradient).</returns>
    /// <remarks>PyTorch: <c>torch.le(a, b)</c> / <c>a &lt;= b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Le<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Pointwise.Binary<T, LessOrEqualTest<T>>(a, b, nameof(Le));

    /// <summary>Elementwise <c>a &gt; b</c> with broadcasting, as a 0/1 mask (0 where either is NaN).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A mask of the broadcast shape; never recorded (no gradient).</returns>
    /// <remarks>PyTorch: <c>torch.gt(a, b)</c> / <c>a &gt; b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Gt<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Pointwise.Binary<T, GreaterTest<T>>(a, b, nameof(Gt));

    /// <summary>Elementwise <c>a &gt;= b</c> with broadcasting, as a 0/1 mask (0 where either is NaN).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A mask of the broadcast shape; never recorded (no gradient).</returns>
    /// <remarks>PyTorch: <c>torch.ge(a, b)</c> / <c>a &gt;= b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Ge<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Pointwise.Binary<T, GreaterOrEqualTest<T>>(a, b, nameof(Ge));

    /// <summary>Elementwise <c>a == b</c> against a constant, as a 0/1 mask of <paramref name="a"/>'s shape; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.eq(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Eq<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Eq(Tensor.Scalar(b));

    /// <summary>Elementwise <c>a != b</c> against a constant, as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.ne(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Ne<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Ne(Tensor.Scalar(b));

    /// <summary>Elementwise <c>a &lt; b</c> against a constant, as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.lt(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Lt<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Lt(Tensor.Scalar(b));

    /// <summary>Elementwise <c>a &lt;= b</c> against a constant, as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.le(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Le<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Le(Tensor.Scalar(b));

    /// <summary>Elementwise <c>a &gt; b</c> against a constant, as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.gt(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Gt<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Gt(Tensor.Scalar(b));

    /// <summary>Elementwise <c>a &gt;= b</c> against a constant, as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.ge(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Ge<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Ge(Tensor.Scalar(b));

    // The same comparisons with a double constant, so a literal fits either element type (x.Gt(0.5) on a Tensor<float>):
    // the constant is rounded to T first, as PyTorch casts a Python number to a float32 tensor's dtype. For T = double
    // the T overload and this one coincide, and C# picks this one (the non-generic parameter), which does the same.
    /// <summary>Elementwise <c>a == b</c> against a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>), as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.eq(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Eq<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Eq(T.CreateChecked(b));

    /// <summary>Elementwise <c>a != b</c> against a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>), as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.ne(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Ne<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Ne(T.CreateChecked(b));

    /// <summary>Elementwise <c>a &lt; b</c> against a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>), as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.lt(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Lt<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Lt(T.CreateChecked(b));

    /// <summary>Elementwise <c>a &lt;= b</c> against a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>), as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.le(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Le<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Le(T.CreateChecked(b));

    /// <summary>Elementwise <c>a &gt; b</c> against a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>), as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.gt(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Gt<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Gt(T.CreateChecked(b));

    /// <summary>Elementwise <c>a &gt;= b</c> against a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>), as a 0/1 mask; never recorded.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant.</param>
    /// <returns>The mask.</returns>
    /// <remarks>PyTorch: <c>torch.ge(a, b)</c> with a Python number.</remarks>
    public static Tensor<T> Ge<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Ge(T.CreateChecked(b));
}

/// <summary><c>x == y ? 1 : 0</c>.</summary>
file readonly struct EqualTest<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x == y ? T.One : T.Zero;
}

/// <summary><c>x != y ? 1 : 0</c>.</summary>
file readonly struct NotEqualTest<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x != y ? T.One : T.Zero;
}

/// <summary><c>x &lt; y ? 1 : 0</c>.</summary>
file readonly struct LessTest<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x < y ? T.One : T.Zero;
}

/// <summary><c>x &lt;= y ? 1 : 0</c>.</summary>
file readonly struct LessOrEqualTest<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x <= y ? T.One : T.Zero;
}

/// <summary><c>x &gt; y ? 1 : 0</c>.</summary>
file readonly struct GreaterTest<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x > y ? T.One : T.Zero;
}

/// <summary><c>x &gt;= y ? 1 : 0</c>.</summary>
file readonly struct GreaterOrEqualTest<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x >= y ? T.One : T.Zero;
}
