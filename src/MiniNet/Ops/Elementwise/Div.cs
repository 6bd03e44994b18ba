using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Elementwise quotient with NumPy/PyTorch broadcasting: effectively <c>out[i] = a[i] / b[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor. Division by zero gives infinity or NaN, as IEEE 754 says; nothing is hidden.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <remarks>PyTorch: <c>torch.div(a, b)</c> / <c>a / b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Div<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Elementwise.Binary<T, DivOperator<T>>(a, b, nameof(Div));
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new DivBackward<T>(output, a, b));
        }

        return output;
    }

    /// <summary>Divides every element by a constant: <c>out[i] = a[i] / b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant divisor (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>a / b</c> with a Python number.</remarks>
    public static Tensor<T> Div<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        a.Div(Tensor.Scalar(b));

    // With a double constant, so a literal fits either element type (x.Div(0.5) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Divides every element by a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>): <c>out[i] = a[i] / b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant divisor (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.div(a, b)</c> / <c>a / b</c> with a Python number.</remarks>
    public static Tensor<T> Div<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Div(T.CreateChecked(b));
}

/// <summary>Backward of <c>a / b</c>.</summary>
file sealed class DivBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public DivBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b)
        : base(output, a, b)
    {
        SaveForBackward(output: true, 1);
    }

    public override string OpName => "Div";

    // d(a/b)/da = 1/b; d(a/b)/db = -a/b^2 = -(a/b)/b, computed from the saved output.
    public override void Backward()
    {
        ReadOnlySpan<T> divisor = Elementwise.ExpandTo(Inputs[1], Output.Shape);
        T[] scratch = BufferPool<T>.Rent(Output.Count);
        Span<T> term = scratch.AsSpan(0, Output.Count);
        if (NeedsGrad(0))
        {
            TensorPrimitives.Divide(GradOutput, divisor, term);
            Broadcast.AccumulateSumTo<T>(term, Output.Shape, GradFor(0), Inputs[0].Shape);
        }

        if (NeedsGrad(1))
        {
            TensorPrimitives.Multiply(GradOutput, Output.KernelReadSpan, term);
            TensorPrimitives.Divide(term, divisor, term);
            TensorPrimitives.Negate(term, term);
            Broadcast.AccumulateSumTo<T>(term, Output.Shape, GradFor(1), Inputs[1].Shape);
        }

        BufferPool<T>.Return(scratch);
    }

    // From the inputs rather than the output, so that the rule's own derivative is plain: -g a / b^2.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [NeedsGrad(0) ? Derivatives.SumTo(gradOutput.Div(Inputs[1]), Inputs[0].Shape) : null,
         NeedsGrad(1) ? Derivatives.SumTo(gradOutput.Mul(Inputs[0]).Div(Inputs[1].Mul(Inputs[1])).Neg(), Inputs[1].Shape) : null];
}

/// <summary><c>x / y</c>.</summary>
internal readonly struct DivOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);
}
