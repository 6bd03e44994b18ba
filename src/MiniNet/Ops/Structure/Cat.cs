using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Concatenates tensors along an existing dimension: sizes must match except along <paramref name="dim"/>, where
    /// the result's size is the sum of theirs (<c>[2, 3]</c> and <c>[2, 4]</c> along dim 1 give <c>[2, 7]</c>).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="tensors">One or more tensors of the same rank (at least 1); any number, any of them may be empty along <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension to join along; negative counts from the end.</param>
    /// <returns>A new tensor.</returns>
    /// <remarks>PyTorch: <c>torch.cat(tensors, dim)</c>. Backward hands each input its slice of the gradient.</remarks>
    /// <exception cref="ArgumentException">
    /// No tensors, a scalar, a rank differing from the first tensor's, or a size other than along <paramref name="dim"/>
    /// differing from the first tensor's; the message names the tensor's position and both shapes.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Cat<T>(IReadOnlyList<Tensor<T>> tensors, int dim = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T>[] inputs = JoinInputs(tensors, nameof(Cat));
        Shape first = inputs[0].Shape;
        if (first.Rank == 0)
        {
            throw new ArgumentException("Cat: tensor 0 is a scalar (shape []); scalars cannot be concatenated. Use Stack, or Reshape(1) them first.", nameof(tensors));
        }

        AxisLayout layout = AxisLayout.Of(first, dim, nameof(Cat), out int a);
        var sizes = new int[inputs.Length];
        int total = 0;
        for (int k = 0; k < inputs.Length; k++)
        {
            Shape s = inputs[k].Shape;
            bool match = s.Rank == first.Rank;
            for (int d = 0; match && d < s.Rank; d++)
            {
                match = d == a || s.Dims[d] == first.Dims[d];
            }

            if (!match)
            {
                throw new ArgumentException(
                    $"Cat: tensor {k} has shape {s} but tensor 0 has shape {first}; along dim {dim} every size except dimension {a} must match (and the ranks).",
                    nameof(tensors));
            }

            sizes[k] = s.Dims[a];
            total += sizes[k];
        }

        int[] dims = first.ToArray();
        dims[a] = total;
        return Join(inputs, new Shape(dims), a, layout.Outer, sizes, layout.Inner, nameof(Cat));
    }

    /// <summary>Validates a list of tensors to join: non-null, non-empty, no null entry.</summary>
    private static Tensor<T>[] JoinInputs<T>(IReadOnlyList<Tensor<T>> tensors, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException($"{op}: expected a non-empty list of tensors.", nameof(tensors));
        }

        var inputs = new Tensor<T>[tensors.Count];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = tensors[k] ?? throw new ArgumentNullException(nameof(tensors), $"{op}: tensor {k} is null.");
        }

        return inputs;
    }

    /// <summary>
    /// Writes each input, viewed as <c>[outer, sizes[k], inner]</c>, into its block of an <c>[outer, sum(sizes), inner]</c> output
    /// (Cat, and Stack with every size 1), and records the join.
    /// </summary>
    private static Tensor<T> Join<T>(Tensor<T>[] inputs, Shape shape, int dim, int outer, int[] sizes, int inner, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = Tensor<T>.Uninitialized(shape);
        Span<T> y = output.KernelWriteSpan;
        int total = 0;
        foreach (int s in sizes)
        {
            total += s;
        }

        int start = 0;
        for (int k = 0; k < inputs.Length; k++)
        {
            ReadOnlySpan<T> x = inputs[k].KernelReadSpan; // the inputs stay reachable: Tape.ShouldRecord reads them after
            int block = sizes[k] * inner;
            for (int o = 0; o < outer && block > 0; o++)
            {
                x.Slice(o * block, block).CopyTo(y.Slice(((o * total) + start) * inner, block));
            }

            start += sizes[k];
        }

        if (Tape.ShouldRecord<T>(inputs))
        {
            Tape.Record(new JoinBackward<T>(output, inputs, dim, outer, sizes, inner, op));
        }

        return output;
    }
}

/// <summary>Backward of Cat and Stack: input <c>k</c> gets the block of the gradient it filled.</summary>
file sealed class JoinBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _dim, _outer, _inner;
    private readonly int[] _sizes;

    public JoinBackward(Tensor<T> output, Tensor<T>[] inputs, int dim, int outer, int[] sizes, int inner, string op)
        : base(output, inputs)
    {
        (_dim, _outer, _sizes, _inner, OpName) = (dim, outer, sizes, inner, op);
        SaveForBackward(output: false);
    }

    public override string OpName { get; }

    // out[o, start_k + j, i] = x_k[o, j, i]: grad_k[o, j, i] += g[o, start_k + j, i].
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        int total = 0;
        foreach (int s in _sizes)
        {
            total += s;
        }

        int start = 0;
        for (int k = 0; k < _sizes.Length; k++)
        {
            int block = _sizes[k] * _inner;
            if (NeedsGrad(k) && block > 0)
            {
                Span<T> grad = GradFor(k);
                for (int o = 0; o < _outer; o++)
                {
                    InPlace.Add(grad.Slice(o * block, block), g.Slice(((o * total) + start) * _inner, block));
                }
            }

            start += _sizes[k];
        }
    }

    // Each input's gradient is a narrow of the output gradient along the joined dimension (reshaped back for Stack).
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        var grads = new Tensor<T>?[_sizes.Length];
        int start = 0;
        for (int k = 0; k < _sizes.Length; k++)
        {
            if (NeedsGrad(k))
            {
                Tensor<T> slice = Ops.NarrowCopy(gradOutput, _dim, start, _sizes[k]);
                grads[k] = slice.Shape == Inputs[k].Shape ? slice : slice.Reshape(Inputs[k].Shape.ToArray());
            }

            start += _sizes[k];
        }

        return grads;
    }
}
