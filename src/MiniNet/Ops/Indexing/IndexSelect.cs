using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Picks whole slices along <paramref name="dim"/>: <c>out[..., k, ...] = x[..., indices[k], ...]</c>; the size of
    /// <paramref name="dim"/> becomes the number of indices (repeats allowed).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension to index; negative counts from the end.</param>
    /// <param name="indices">The slices to take, each in <c>[0, x.Shape[dim])</c>, in order.</param>
    /// <returns>A new tensor.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.index_select(x, dim, index)</c>. Backward index-adds: slice <c>indices[k]</c> of the gradient
    /// gets slice <c>k</c> of the upstream gradient, so a repeated index gets the sum.
    /// </remarks>
    /// <exception cref="ArgumentException">An index is out of range; the message names its position and value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> IndexSelect<T>(this Tensor<T> x, int dim, ReadOnlySpan<int> indices)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        AxisLayout layout = AxisLayout.Of(x.Shape, dim, nameof(IndexSelect), out int a);
        int n = layout.Length, inner = layout.Inner, count = indices.Length;
        for (int k = 0; k < count; k++)
        {
            if ((uint)indices[k] >= (uint)n)
            {
                throw new ArgumentException(
                    $"IndexSelect: index {indices[k]} at position {k} is out of range for dimension {a} of size {n} (input shape {x.Shape}).", nameof(indices));
            }
        }

        if (x.Rank == 0 && count != 1)
        {
            throw new ArgumentException($"IndexSelect: a scalar takes exactly one index (0), got {count}.", nameof(indices));
        }

        var offsets = new int[layout.Outer * count * inner];
        int p = 0;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int k = 0; k < count; k++)
            {
                int start = ((o * n) + indices[k]) * inner;
                for (int i = 0; i < inner; i++)
                {
                    offsets[p++] = start + i;
                }
            }
        }

        int[] dims = x.Shape.ToArray();
        if (dims.Length > 0)
        {
            dims[a] = count;
        }

        return Take(x, offsets, Shape.Of(dims), nameof(IndexSelect));
    }

    /// <summary>As <see cref="IndexSelect{T}(Tensor{T}, int, ReadOnlySpan{int})"/>, with the indices as whole numbers in a 1-D (or scalar) tensor.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension to index; negative counts from the end.</param>
    /// <param name="indices">A 1-D or scalar tensor of whole numbers, each in <c>[0, x.Shape[dim])</c>; never differentiated.</param>
    /// <returns>A new tensor.</returns>
    /// <remarks>PyTorch: <c>torch.index_select(x, dim, index)</c>.</remarks>
    /// <exception cref="ArgumentException">The index tensor has rank 2 or more, holds a non-integer, or an index is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> IndexSelect<T>(this Tensor<T> x, int dim, Tensor<T> indices)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Rank > 1)
        {
            throw new ArgumentException($"IndexSelect: the index tensor must be 1-D or a scalar, got shape {indices.Shape}.", nameof(indices));
        }

        return x.IndexSelect(dim, IndexValues(indices, nameof(IndexSelect)));
    }
}
