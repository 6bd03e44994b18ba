using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The elements <c>[start, start + length)</c> along dimension <paramref name="dim"/>, as a view (no copy):
    /// <c>out[..., i, ...] = x[..., start + i, ...]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <param name="start">The first position; negative counts from the end, as in PyTorch.</param>
    /// <param name="length">How many positions.</param>
    /// <returns>A view; contiguous when <paramref name="dim"/> is the first dimension with a size above 1.</returns>
    /// <remarks>PyTorch: <c>x.narrow(dim, start, length)</c> / <c>x[:, a:b]</c>. Backward adds the gradient into those positions of the base, zero elsewhere.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The dimension or the range is out of bounds; the message names the shape.</exception>
    public static Tensor<T> Narrow<T>(this Tensor<T> x, int dim, int start, int length)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = ViewArguments.Dim("Narrow", x.Shape, dim, nameof(dim));
        int size = x.Shape.Dims[d], first = start < 0 ? start + size : start;
        if (first < 0 || length < 0 || first > size - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Narrow: positions [{start}, {start} + {length}) are outside dimension {dim} of size {size} (shape {x.Shape}).");
        }

        int[] dims = x.Shape.ToArray();
        dims[d] = length;
        var shape = Shape.Of(dims);
        int[] logical = x.Shape.ContiguousStrides;
        return MakeView(x, shape, x.Strides.ToArray(), x.Offset + (first * x.Strides[d]), new ViewLayout(shape, logical, first * logical[d]), "Narrow");
    }

    /// <summary>
    /// The slice at position <paramref name="index"/> of dimension <paramref name="dim"/>, which is removed, as a view
    /// (no copy): <c>out[..., ...] = x[..., index, ...]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <returns>A view of rank one less.</returns>
    /// <remarks>PyTorch: <c>x.select(dim, index)</c> / <c>x[:, 3]</c>. Backward puts the gradient into that slice of the base, zero elsewhere.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The dimension or index is out of bounds; the message names the shape.</exception>
    public static Tensor<T> Select<T>(this Tensor<T> x, int dim, int index)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = ViewArguments.Dim("Select", x.Shape, dim, nameof(dim));
        int size = x.Shape.Dims[d], position = index < 0 ? index + size : index;
        if ((uint)position >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Select: index {index} is out of range for dimension {dim} of size {size} (shape {x.Shape}).");
        }

        var shape = Shape.Of(Without(x.Shape.Dims, d));
        int[] logical = x.Shape.ContiguousStrides;
        return MakeView(x, shape, Without(x.Strides, d), x.Offset + (position * x.Strides[d]), new ViewLayout(shape, Without(logical, d), position * logical[d]), "Select");
    }

    private static int[] Without(ReadOnlySpan<int> values, int d)
    {
        int[] result = new int[values.Length - 1];
        values[..d].CopyTo(result);
        values[(d + 1)..].CopyTo(result.AsSpan(d));
        return result;
    }
}
