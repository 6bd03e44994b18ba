
namespace MiniNet;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise sum with broadcasting; see <see cref="Ops.Add{T}(Tensor{T}, Tensor{T})"/>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The sum.</returns>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => a.Add(b);

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The sum.</returns>
    public static Tensor<T> operator +(Tensor<T> a, T b) => a.Add(b);

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The sum.</returns>
    public static Tensor<T> operator +(T a, Tensor<T> b) => b.Add(a);

    /// <summary>Elementwise difference with broadcasting; see <see cref="Ops.Sub{T}(Tensor{T}, Tensor{T})"/>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The difference.</returns>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => a.Sub(b);

    /// <summary>Subtracts a scalar from every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The difference.</returns>
    public static Tensor<T> operator -(Tensor<T> a, T b) => a.Add(-b);

    /// <summary>Subtracts every element from a scalar, as one op (<see cref="Ops.Rsub{T}(Tensor{T}, T)"/>).</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The difference.</returns>
    public static Tensor<T> operator -(T a, Tensor<T> b) => b.Rsub(a);

    /// <summary>Negates every element; see <see cref="Ops.Neg{T}(Tensor{T})"/>.</summary>
    /// <param name="a">The tensor.</param>
    /// <returns>The negation.</returns>
    public static Tensor<T> operator -(Tensor<T> a) => a.Neg();

    /// <summary>Elementwise product with broadcasting; see <see cref="Ops.Mul{T}(Tensor{T}, Tensor{T})"/>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The product.</returns>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => a.Mul(b);

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The product.</returns>
    public static Tensor<T> operator *(Tensor<T> a, T b) => a.Mul(b);

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The product.</returns>
    public static Tensor<T> operator *(T a, Tensor<T> b) => b.Mul(a);

    /// <summary>Elementwise quotient with broadcasting; see <see cref="Ops.Div{T}(Tensor{T}, Tensor{T})"/>.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => a.Div(b);

    /// <summary>Divides every element by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The quotient.</returns>
    public static Tensor<T> operator /(Tensor<T> a, T b) => a.Div(b);

    /// <summary>Divides a scalar by every element, as one op (<see cref="Ops.Rdiv{T}(Tensor{T}, T)"/>).</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor<T> operator /(T a, Tensor<T> b) => b.Rdiv(a);
}
