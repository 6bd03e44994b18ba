using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The same elements, in the same row-major order, under a new shape: <c>out.flat[i] = x.flat[i]</c>.
    /// One size may be <c>-1</c>; it is inferred from the element count.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="shape">The new sizes; their product must equal <paramref name="x"/>'s element count. No sizes gives a scalar.</param>
    /// <returns>A new tensor with the same values (a copy, so writing to it never changes <paramref name="x"/>).</returns>
    /// <remarks>PyTorch: <c>x.reshape(shape)</c>. PyTorch may return a view; MiniNet always copies. Backward reshapes the gradient back.</remarks>
    /// <exception cref="ArgumentException">
    /// The element counts differ, more than one size is <c>-1</c>, a size is below <c>-1</c>, or <c>-1</c> is ambiguous
    /// (the other sizes multiply to 0); the message names both shapes.
    /// </exception>
    public static Tensor<T> Reshape<T>(this Tensor<T> x, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        var output = new Tensor<T>(ReshapeTargetShape(x.Shape, shape));
        x.AsReadOnlySpan().CopyTo(output.Span);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ReshapeBackward<T>(output, x));
        }

        return output;
    }

    private static Shape ReshapeTargetShape(Shape from, int[] requested)
    {
        string Describe() => $"Reshape: cannot reshape a tensor of shape {from} ({from.ElementCount} elements) into [{string.Join(", ", requested)}]";

        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            if (requested[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"{Describe()}: only one size can be -1.", nameof(requested));
                }

                inferred = i;
            }
            else if (requested[i] < 0)
            {
                throw new ArgumentException($"{Describe()}: size {requested[i]} is invalid (sizes must be >= 0, or -1 to infer one).", nameof(requested));
            }
            else
            {
                known *= requested[i];
            }
        }

        int[] dims = (int[])requested.Clone();
        if (inferred >= 0)
        {
            if (known == 0 || from.ElementCount % known != 0)
            {
                throw new ArgumentException(
                    known == 0
                        ? $"{Describe()}: the -1 size is ambiguous because the other sizes multiply to 0."
                        : $"{Describe()}: {from.ElementCount} is not a multiple of {known}, the product of the other sizes.",
                    nameof(requested));
            }

            dims[inferred] = (int)(from.ElementCount / known);
        }
        else if (known != from.ElementCount)
        {
            throw new ArgumentException($"{Describe()} ({known} elements): the element counts must match.", nameof(requested));
        }

        return Shape.Of(dims);
    }
}

/// <summary>Backward of a reshape.</summary>
file sealed class ReshapeBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public ReshapeBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "Reshape";

    // A reshape moves no element (row-major order is kept), so the gradient is gradOutput read with x's shape: grad += g.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        InPlace.Add(grad, GradOutput);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Reshape(Inputs[0].Shape.ToArray())];
}
