namespace MiniNet;

/// <content>
/// Arithmetic with <see cref="double"/> scalars on either side, so that literals fit any element type:
/// <c>t * 0.5</c>, <c>10.0 / t</c> and <c>2 - t</c> compile for <c>Tensor&lt;float&gt;</c> as for <c>Tensor&lt;double&gt;</c>
/// (PyTorch: Python numbers combine with tensors of any floating dtype). The scalar is converted to <typeparamref name="T"/>
/// once (for float, rounded to the nearest float) and the op is the same one the <typeparamref name="T"/> overloads
/// run. With <c>T = double</c> both overloads have the same parameter types; C# then picks the one declared with
/// <c>double</c> (non-generic parameters are more specific), which does the same thing, so no call is ambiguous. A
/// <c>float</c> or integer scalar with a <c>Tensor&lt;float&gt;</c> binds to the <typeparamref name="T"/> overload (the
/// better conversion), and generic code over <c>T</c> keeps using it.
/// </content>
public sealed partial class Tensor<T>
{
    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <returns>The sum.</returns>
    public static Tensor<T> operator +(Tensor<T> a, double b) => a.Add(T.CreateChecked(b));

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The sum.</returns>
    public static Tensor<T> operator +(double a, Tensor<T> b) => b.Add(T.CreateChecked(a));

    /// <summary>Subtracts a scalar from every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <returns>The difference.</returns>
    public static Tensor<T> operator -(Tensor<T> a, double b) => a.Add(-T.CreateChecked(b));

    /// <summary>Subtracts every element from a scalar, as one op (<see cref="Ops.Rsub{T}(Tensor{T}, T)"/>).</summary>
    /// <param name="a">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The difference.</returns>
    public static Tensor<T> operator -(double a, Tensor<T> b) => b.Rsub(T.CreateChecked(a));

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <returns>The product.</returns>
    public static Tensor<T> operator *(Tensor<T> a, double b) => a.Mul(T.CreateChecked(b));

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <param name="a">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The product.</returns>
    public static Tensor<T> operator *(double a, Tensor<T> b) => b.Mul(T.CreateChecked(a));

    /// <summary>Divides every element by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <returns>The quotient.</returns>
    public static Tensor<T> operator /(Tensor<T> a, double b) => a.Div(T.CreateChecked(b));

    /// <summary>Divides a scalar by every element, as one op (<see cref="Ops.Rdiv{T}(Tensor{T}, T)"/>).</summary>
    /// <param name="a">The scalar, converted to <typeparamref name="T"/>.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor<T> operator /(double a, Tensor<T> b) => b.Rdiv(T.CreateChecked(a));
}
