using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Repeats size-1 dimensions (and adds leading ones) without copying: an expanded dimension has stride 0, so every
    /// position reads the same stored element. <c>[3, 1].Expand(2, 3, 4)</c> is <c>[2, 3, 4]</c>; <c>-1</c> keeps a size.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="sizes">The result's sizes, at least as many as <paramref name="x"/>'s rank; <c>-1</c> keeps the input's size.</param>
    /// <returns>A view; writing into it throws (several elements share one memory location).</returns>
    /// <remarks>PyTorch: <c>x.expand(sizes)</c>. Backward sums the gradient over the expanded dimensions (<c>sum_to_size</c>).</remarks>
    /// <exception cref="ArgumentException">Fewer sizes than dimensions, a non-1 size that differs from the input's, or <c>-1</c> for a new dimension; the message names both shapes.</exception>
    public static Tensor<T> Expand<T>(this Tensor<T> x, params int[] sizes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sizes);
        string Describe() => $"Expand: cannot expand shape {x.Shape} to {ViewArguments.Format(sizes)}";
        if (sizes.Length < x.Rank)
        {
            throw new ArgumentException($"{Describe()}: {sizes.Length} sizes for a tensor of rank {x.Rank}.", nameof(sizes));
        }

        int lead = sizes.Length - x.Rank;
        int[] dims = new int[sizes.Length], strides = new int[sizes.Length], logical = new int[sizes.Length];
        ReadOnlySpan<int> from = x.Strides, fromLogical = x.Shape.ContiguousStrides;
        for (int i = 0; i < sizes.Length; i++)
        {
            int j = i - lead, own = j >= 0 ? x.Shape.Dims[j] : 1, size = sizes[i];
            if (size == -1)
            {
                if (j < 0)
                {
                    throw new ArgumentException($"{Describe()}: -1 is not allowed for the new leading dimension {i}.", nameof(sizes));
                }

                size = own;
            }

            if (size < 0 || (own != 1 && size != own))
            {
                throw new ArgumentException($"{Describe()}: size {sizes[i]} at dimension {i} must equal {own} (only size-1 dimensions expand).", nameof(sizes));
            }

            bool repeat = j < 0 || (own == 1 && size != 1);
            (dims[i], strides[i], logical[i]) = (size, repeat ? 0 : from[j], repeat ? 0 : fromLogical[j]);
        }

        var shape = Shape.Of(dims);
        return MakeView(x, shape, strides, x.Offset, new ViewLayout(shape, logical, 0), "Expand");
    }
}
