using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Raises each element to the matching element's power, with broadcasting: <c>out[i] = a[i]^b[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The bases.</param>
    /// <param name="exponent">The exponents.</param>
    /// <returns>A tensor of the broadcast shape. IEEE <c>pow</c>: a negative base with a non-integer exponent gives NaN, <c>0^b</c> with <c>b &lt; 0</c> +infinity.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.pow(a, b)</c> / <c>a ** b</c> with two tensors. Backward as PyTorch's: <c>d/da = b a^(b-1)</c>,
    /// exactly 0 where <c>b = 0</c>; <c>d/db = a^b ln a</c>, exactly 0 where <c>a = 0</c> and <c>b &gt;= 0</c> (so the
    /// <c>0 * -infinity</c> at a zero base is not NaN); each summed back over broadcast axes.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Pow<T>(this Tensor<T> a, Tensor<T> exponent)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Elementwise.Binary<T, PowOperator<T>>(a, exponent, nameof(Pow));
        if (Tape.ShouldRecord(a, exponent))
        {
            Tape.Record(new PowTensorBackward<T>(output, a, exponent));
        }

        return output;
    }
}

/// <summary>Backward of <c>a^b</c> for two tensors.</summary>
file sealed class PowTensorBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public PowTensorBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b)
        : base(output, a, b)
    {
        SaveForBackward(output: true, 0, 1);
    }

    public override string OpName => "Pow";

    // d a^b/da = b a^(b-1) (0 where b = 0); d a^b/db = a^b ln a (0 where a = 0 and b >= 0), from the saved output.
    public override void Backward()
    {
        Shape shape = Output.Shape;
        ReadOnlySpan<T> a = Elementwise.ExpandTo(Inputs[0], shape), b = Elementwise.ExpandTo(Inputs[1], shape);
        ReadOnlySpan<T> y = Output.KernelReadSpan, g = GradOutput;
        T[] scratch = BufferPool<T>.Rent(Output.Count);
        Span<T> term = scratch.AsSpan(0, Output.Count);
        if (NeedsGrad(0))
        {
            for (int i = 0; i < term.Length; i++)
            {
                term[i] = b[i] == T.Zero ? T.Zero : g[i] * b[i] * T.Pow(a[i], b[i] - T.One);
            }

            Broadcast.AccumulateSumTo<T>(term, shape, GradFor(0), Inputs[0].Shape);
        }

        if (NeedsGrad(1))
        {
            for (int i = 0; i < term.Length; i++)
            {
                term[i] = a[i] == T.Zero && b[i] >= T.Zero ? T.Zero : g[i] * y[i] * T.Log(a[i]);
            }

            Broadcast.AccumulateSumTo<T>(term, shape, GradFor(1), Inputs[1].Shape);
        }

        BufferPool<T>.Return(scratch);
    }

    // The same rules with MiniNet ops; MaskedFill puts the exact zeros in (its gradient is 0 where it fills).
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> a = Inputs[0], b = Inputs[1];
        Tensor<T>? gradA = null, gradB = null;
        if (NeedsGrad(0))
        {
            Tensor<T> full = gradOutput.Mul(b).Mul(a.Pow(b.Add(-T.One))).MaskedFill(b.Eq(T.Zero), T.Zero);
            gradA = Derivatives.SumTo(full, a.Shape);
        }

        if (NeedsGrad(1))
        {
            Tensor<T> full = gradOutput.Mul(Output).Mul(a.Log()).MaskedFill(a.Eq(T.Zero).Mul(b.Ge(T.Zero)), T.Zero);
            gradB = Derivatives.SumTo(full, b.Shape);
        }

        return [gradA, gradB];
    }
}

/// <summary><c>x^y</c>.</summary>
internal readonly struct PowOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);
}
