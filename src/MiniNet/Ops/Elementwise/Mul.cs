using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Elementwise product with NumPy/PyTorch broadcasting: effectively <c>out[i] = a[i] * b[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <remarks>PyTorch: <c>torch.mul(a, b)</c> / <c>a * b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Mul<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Elementwise.Binary<T, MulOperator<T>>(a, b, nameof(Mul));
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new MulBackward<T>(output, a, b));
        }

        return output;
    }

    /// <summary>Multiplies every element by a constant: <c>out[i] = a[i] * b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>a * b</c> with a Python number.</remarks>
    public static Tensor<T> Mul<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var output = Tensor<T>.Uninitialized(a.Shape);
        TensorPrimitives.Multiply(a.KernelReadSpan, b, output.KernelWriteSpan);
        if (Tape.ShouldRecord(a))
        {
            Tape.Record(new ScaleBackward<T>(output, a, b));
        }

        return output;
    }

    // With a double constant, so a literal fits either element type (x.Mul(0.5) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Multiplies every element by a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>): <c>out[i] = a[i] * b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.mul(a, b)</c> / <c>a * b</c> with a Python number.</remarks>
    public static Tensor<T> Mul<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Mul(T.CreateChecked(b));
}

/// <summary>Backward of <c>a * b</c>.</summary>
file sealed class MulBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public MulBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b)
        : base(output, a, b)
    {
        SaveForBackward(output: false, 0, 1);
    }

    public override string OpName => "Mul";

    // d(a b)/da = b, d(a b)/db = a; each summed back over the axes its input was broadcast along.
    public override void Backward()
    {
        for (int i = 0; i < 2; i++)
        {
            if (NeedsGrad(i))
            {
                ReadOnlySpan<T> other = Elementwise.ExpandTo(Inputs[1 - i], Output.Shape);
                T[] product = BufferPool<T>.Rent(Output.Count);
                Span<T> terms = product.AsSpan(0, Output.Count);
                TensorPrimitives.Multiply(GradOutput, other, terms);
                Broadcast.AccumulateSumTo<T>(terms, Output.Shape, GradFor(i), Inputs[i].Shape);
                BufferPool<T>.Return(product);
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [NeedsGrad(0) ? Derivatives.SumTo(gradOutput.Mul(Inputs[1]), Inputs[0].Shape) : null,
         NeedsGrad(1) ? Derivatives.SumTo(gradOutput.Mul(Inputs[0]), Inputs[1].Shape) : null];
}

/// <summary>Backward of <c>a * constant</c>.</summary>
file sealed class ScaleBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _scale;

    public ScaleBackward(Tensor<T> output, Tensor<T> a, T scale)
        : base(output, a)
    {
        _scale = scale;
        SaveForBackward(output: false);
    }

    public override string OpName => "Mul";

    // d(a c)/da = c: grad += c * gradOutput.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        InPlace.Axpy(grad, _scale, GradOutput);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Mul(_scale)];
}

/// <summary><c>x * y</c>.</summary>
internal readonly struct MulOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(y, x, destination);
}
