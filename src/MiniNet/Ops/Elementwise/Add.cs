using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>Differentiable tensor operations, written as extension methods (<c>x.Sigmoid()</c>, <c>a.MatMul(b)</c>).</summary>
public static partial class Ops
{
    /// <summary>Elementwise sum with NumPy/PyTorch broadcasting: effectively <c>out[i] = a[i] + b[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <remarks>PyTorch: <c>torch.add(a, b)</c> / <c>a + b</c>. Backward sums the gradient over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Add<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Elementwise.Binary<T, AddOperator<T>>(a, b, nameof(Add));
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new AddBackward<T>(output, a, b));
        }

        return output;
    }

    /// <summary>Adds a constant to every element: <c>out[i] = a[i] + b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>a + b</c> with a Python number.</remarks>
    public static Tensor<T> Add<T>(this Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var output = Tensor<T>.Uninitialized(a.Shape);
        TensorPrimitives.Add(a.KernelReadSpan, b, output.KernelWriteSpan);
        if (Tape.ShouldRecord(a))
        {
            Tape.Record(new AddBackward<T>(output, a));
        }

        return output;
    }

    // With a double constant, so a literal fits either element type (x.Add(0.5) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Adds a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>) to every element: <c>out[i] = a[i] + b</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="a"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.add(a, b)</c> / <c>a + b</c> with a Python number.</remarks>
    public static Tensor<T> Add<T>(this Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.Add(T.CreateChecked(b));
}

/// <summary>Backward of <c>a + b</c>.</summary>
file sealed class AddBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public AddBackward(Tensor<T> output, params ReadOnlySpan<Tensor<T>> inputs)
        : base(output, inputs)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "Add";

    // d(a + b)/da = d(a + b)/db = 1: each input gets gradOutput, summed over the axes it was broadcast along.
    public override void Backward()
    {
        for (int i = 0; i < Inputs.Length; i++)
        {
            if (NeedsGrad(i))
            {
                Broadcast.AccumulateSumTo(GradOutput, Output.Shape, GradFor(i), Inputs[i].Shape);
            }
        }
    }

    // d(a + b)/da = d(a + b)/db = 1, summed back over broadcast axes.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        var grads = new Tensor<T>?[Inputs.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            grads[i] = NeedsGrad(i) ? Derivatives.SumTo(gradOutput, Inputs[i].Shape) : null;
        }

        return grads;
    }
}

/// <summary><c>x + y</c>.</summary>
internal readonly struct AddOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(y, x, destination);
}
