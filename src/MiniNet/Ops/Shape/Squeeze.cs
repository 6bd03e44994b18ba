using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Removes every dimension of size 1, as a view (no copy): <c>[2, 1, 3, 1].Squeeze() = [2, 3]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A view with the same elements.</returns>
    /// <remarks>PyTorch: <c>x.squeeze()</c>. Backward reshapes the gradient back.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Squeeze<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var kept = new List<int>(x.Rank);
        for (int d = 0; d < x.Rank; d++)
        {
            if (x.Shape.Dims[d] != 1)
            {
                kept.Add(d);
            }
        }

        return KeepDims(x, kept.ToArray(), "Squeeze");
    }

    /// <summary>Removes dimension <paramref name="dim"/> when its size is 1 (otherwise the view has the same shape), as a view.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <returns>A view with the same elements.</returns>
    /// <remarks>PyTorch: <c>x.squeeze(dim)</c>, which also leaves a dimension of another size alone.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is out of range; the message names the shape.</exception>
    public static Tensor<T> Squeeze<T>(this Tensor<T> x, int dim)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = ViewArguments.Dim("Squeeze", x.Shape, dim, nameof(dim));
        var kept = new List<int>(x.Rank);
        for (int i = 0; i < x.Rank; i++)
        {
            if (i != d || x.Shape.Dims[i] != 1)
            {
                kept.Add(i);
            }
        }

        return KeepDims(x, kept.ToArray(), "Squeeze");
    }

    /// <summary>Inserts a dimension of size 1 at position <paramref name="dim"/>, as a view: <c>[2, 3].Unsqueeze(1) = [2, 1, 3]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim">The position in the result, in <c>[-rank - 1, rank]</c>; negative counts from the end.</param>
    /// <returns>A view of rank one more.</returns>
    /// <remarks>PyTorch: <c>x.unsqueeze(dim)</c>. Backward reshapes the gradient back.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The position is out of range; the message names the shape.</exception>
    public static Tensor<T> Unsqueeze<T>(this Tensor<T> x, int dim)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = ViewArguments.Dim("Unsqueeze", x.Shape, dim, nameof(dim), rank: x.Rank + 1);
        int[] dims = new int[x.Rank + 1], strides = new int[x.Rank + 1], logical = new int[x.Rank + 1];
        ReadOnlySpan<int> from = x.Strides, fromLogical = x.Shape.ContiguousStrides;
        for (int i = 0, j = 0; i < dims.Length; i++)
        {
            if (i == d)
            {
                // Any stride works for a size-1 dimension; PyTorch's choice keeps a contiguous tensor contiguous.
                dims[i] = 1;
                strides[i] = j < x.Rank ? from[j] * x.Shape.Dims[j] : 1;
                logical[i] = j < x.Rank ? fromLogical[j] * x.Shape.Dims[j] : 1;
                continue;
            }

            (dims[i], strides[i], logical[i]) = (x.Shape.Dims[j], from[j], fromLogical[j]);
            j++;
        }

        var shape = Shape.Of(dims);
        return MakeView(x, shape, strides, x.Offset, new ViewLayout(shape, logical, 0), "Unsqueeze");
    }

    private static Tensor<T> KeepDims<T>(Tensor<T> x, int[] kept, string opName)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int[] dims = new int[kept.Length], strides = new int[kept.Length], logical = new int[kept.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            (dims[i], strides[i], logical[i]) = (x.Shape.Dims[kept[i]], x.Strides[kept[i]], x.Shape.ContiguousStrides[kept[i]]);
        }

        var shape = Shape.Of(dims);
        return MakeView(x, shape, strides, x.Offset, new ViewLayout(shape, logical, 0), opName);
    }
}
