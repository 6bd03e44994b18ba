using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Elementwise difference with NumPy/PyTorch broadcasting: effectively <c>out[i] = a[i] - b[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The minuend.</param>
    /// <param name="b">The subtrahend.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <remarks>PyTorch: <c>torch.sub(a, b)</c> / <c>a - b</c>.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Sub<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Elementwise.Binary<T, SubOperator<T>>(a, b, nameof(Sub));
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new SubBackward<T>(output, a, b));
        }

        return output;
    }

    /// <summary>Subtracts a constant from every element: <c>out[i] = a[i] - b</c> (recorded as <c>a + (-b)</c>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.sub(a, b)</c> / <c>a - b</c> with a Python number.</remarks>
    public static Tensor<T> Sub<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Add(-b);

    // With a double constant, so a literal fits either element type (x.Sub(0.5) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Subtracts a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>) from every element: <c>out[i] = a[i] - b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.sub(a, b)</c> / <c>a - b</c> with a Python number.</remarks>
    public static Tensor<T> Sub<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Sub(T.CreateChecked(b));
}

/// <summary>Backward of <c>a - b</c>.</summary>
file sealed class SubBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public SubBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b)
        : base(output, a, b)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "Sub";

    // d(a - b)/da = 1, d(a - b)/db = -1, each summed over broadcast axes.
    public override void Backward()
    {
        if (NeedsGrad(0))
        {
            Broadcast.AccumulateSumTo(GradOutput, Output.Shape, GradFor(0), Inputs[0].Shape);
        }

        if (NeedsGrad(1))
        {
            T[] negated = BufferPool<T>.Rent(Output.Count);
            Span<T> terms = negated.AsSpan(0, Output.Count);
            TensorPrimitives.Negate(GradOutput, terms);
            Broadcast.AccumulateSumTo<T>(terms, Output.Shape, GradFor(1), Inputs[1].Shape);
            BufferPool<T>.Return(negated);
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [NeedsGrad(0) ? Derivatives.SumTo(gradOutput, Inputs[0].Shape) : null, NeedsGrad(1) ? Derivatives.SumTo(gradOutput.Neg(), Inputs[1].Shape) : null];
}

/// <summary><c>x - y</c>.</summary>
internal readonly struct SubOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);
}
