using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Raises every element to a constant power: <c>out[i] = x[i]^p</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The base tensor.</param>
    /// <param name="exponent">The exponent p (not differentiated).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.pow(x, p)</c> / <c>x ** p</c> with a Python number. Follows IEEE <c>pow</c>: a negative base
    /// with a non-integer exponent gives NaN, <c>0^p</c> with <c>p &lt; 0</c> gives +infinity. Backward:
    /// <c>d x^p/dx = p x^(p-1)</c>, and exactly 0 when <c>p = 0</c> (as PyTorch, which masks the <c>0 * 0^-1</c> NaN).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Pow<T>(this Tensor<T> x, T exponent)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        ReadOnlySpan<T> input = x.KernelReadSpan; // x stays reachable: Tape.ShouldRecord(x) reads it after the kernels
        Span<T> result = output.KernelWriteSpan;
        if (exponent == T.CreateTruncating(2))
        {
            // x * x is exact to one rounding, which pow only promises to within an ulp or so.
            TensorPrimitives.Multiply(input, input, result);
        }
        else
        {
            TensorPrimitives.Pow(input, exponent, result);
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new PowBackward<T>(output, x, exponent));
        }

        return output;
    }

    // With a double constant, so a literal fits either element type (x.Pow(0.5) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Raises every element to a constant power given as a <see cref="double"/> (rounded to <typeparamref name="T"/>): <c>out[i] = x[i]^p</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The base tensor.</param>
    /// <param name="exponent">The exponent p (not differentiated).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.pow(x, p)</c> / <c>x ** p</c> with a Python number; see <see cref="Pow{T}(Tensor{T}, T)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Pow<T>(this Tensor<T> x, double exponent)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.Pow(T.CreateChecked(exponent));
}

/// <summary>Backward of <c>x^p</c> for a constant p.</summary>
file sealed class PowBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _exponent;

    public PowBackward(Tensor<T> output, Tensor<T> x, T exponent)
        : base(output, x)
    {
        _exponent = exponent;
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Pow";

    // d x^p/dx = p x^(p-1): grad += g * p * x^(p-1). Recomputed from x rather than as p * y / x, which is 0/0 at x = 0.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        T p = _exponent, pMinusOne = _exponent - T.One;
        for (int i = 0; i < grad.Length; i++)
        {
            // p = 0: the derivative is 0 even at x = 0, where p * x^-1 would be 0 * infinity.
            T derivative = p == T.Zero ? T.Zero : p * T.Pow(x[i], pMinusOne);
            grad[i] += g[i] * derivative;
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [_exponent == T.Zero ? gradOutput.Mul(T.Zero) : gradOutput.Mul(Inputs[0].Pow(_exponent - T.One).Mul(_exponent))];
}
