using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Stacks tensors of one shape along a new dimension inserted at <paramref name="dim"/>: three <c>[2, 3]</c> tensors
    /// stacked at dim 0 give <c>[3, 2, 3]</c>, at dim 2 (or -1) <c>[2, 3, 3]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="tensors">One or more tensors of exactly the same shape (scalars too, giving a vector).</param>
    /// <param name="dim">Where the new dimension goes, in <c>[-(Rank + 1), Rank]</c>; negative counts from the end of the result.</param>
    /// <returns>A new tensor of rank <c>Rank + 1</c>.</returns>
    /// <remarks>PyTorch: <c>torch.stack(tensors, dim)</c>. Backward hands each input its slice of the gradient.</remarks>
    /// <exception cref="ArgumentException">No tensors, or a shape differing from the first; the message names the tensor's position and both shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-(Rank + 1), Rank]</c>.</exception>
    public static Tensor<T> Stack<T>(IReadOnlyList<Tensor<T>> tensors, int dim = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T>[] inputs = JoinInputs(tensors, nameof(Stack));
        Shape first = inputs[0].Shape;
        int rank = first.Rank + 1;
        int a = dim < 0 ? dim + rank : dim;
        if (a < 0 || a >= rank)
        {
            throw new ArgumentOutOfRangeException(
                nameof(dim), dim, $"Stack: dim {dim} is out of range for tensors of shape {first}; the new dimension goes in {-rank} to {rank - 1}.");
        }

        for (int k = 1; k < inputs.Length; k++)
        {
            if (inputs[k].Shape != first)
            {
                throw new ArgumentException($"Stack: tensor {k} has shape {inputs[k].Shape} but tensor 0 has shape {first}; every tensor must have the same shape.", nameof(tensors));
            }
        }

        int outer = 1, inner = 1;
        for (int d = 0; d < first.Rank; d++)
        {
            if (d < a)
            {
                outer *= first.Dims[d];
            }
            else
            {
                inner *= first.Dims[d];
            }
        }

        var dims = new int[rank];
        for (int d = 0, s = 0; d < rank; d++)
        {
            dims[d] = d == a ? inputs.Length : first.Dims[s++];
        }

        var sizes = new int[inputs.Length];
        Array.Fill(sizes, 1);
        return Join(inputs, new Shape(dims), a, outer, sizes, inner, nameof(Stack));
    }
}
