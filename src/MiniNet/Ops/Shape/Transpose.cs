using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The matrix transpose: <c>out[j, i] = x[i, j]</c> for a 2-D <c>[m, n]</c> input, giving <c>[n, m]</c>, as a view
    /// (no copy). Rank-0 and rank-1 tensors come back as an unchanged view, as with PyTorch's <c>t()</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">A tensor of rank 2 or less.</param>
    /// <returns>A view sharing <paramref name="x"/>'s storage (non-contiguous for a matrix with both sizes above 1).</returns>
    /// <remarks>PyTorch: <c>x.t()</c> / <c>x.T</c> on a matrix. Backward transposes the gradient. For any rank use <see cref="Transpose{T}(Tensor{T}, int, int)"/>.</remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> has rank above 2.</exception>
    public static Tensor<T> Transpose<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank > 2)
        {
            throw new ArgumentException($"Transpose() works on tensors of rank 2 or less (matrices); got shape {x.Shape}. Use Transpose(dim0, dim1) or Permute(...).", nameof(x));
        }

        return x.Rank == 2 ? x.Transpose(0, 1) : Alias(x);
    }

    /// <summary>Swaps dimensions <paramref name="dim0"/> and <paramref name="dim1"/> of a tensor of any rank, as a view (no copy).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim0">One dimension; negative counts from the end.</param>
    /// <param name="dim1">The other dimension; negative counts from the end.</param>
    /// <returns>A view with the two sizes and strides swapped.</returns>
    /// <remarks>PyTorch: <c>torch.transpose(x, dim0, dim1)</c>. Backward swaps the gradient's dimensions back.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is out of range; the message names the shape.</exception>
    public static Tensor<T> Transpose<T>(this Tensor<T> x, int dim0, int dim1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = ViewArguments.Dim("Transpose", x.Shape, dim0, nameof(dim0)), b = ViewArguments.Dim("Transpose", x.Shape, dim1, nameof(dim1));
        int[] order = new int[x.Rank];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        (order[a], order[b]) = (order[b], order[a]);
        return PermuteView(x, order, "Transpose");
    }

    /// <summary>Reorders the dimensions: dimension <c>i</c> of the result is dimension <c>dims[i]</c> of <paramref name="x"/>, as a view (no copy).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dims">A permutation of the dimensions; negative entries count from the end.</param>
    /// <returns>A view of shape <c>[x.Shape[dims[0]], x.Shape[dims[1]], ...]</c>.</returns>
    /// <remarks>PyTorch: <c>x.permute(dims)</c>. Backward applies the inverse permutation to the gradient.</remarks>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of the dimensions; the message names it and the shape.</exception>
    public static Tensor<T> Permute<T>(this Tensor<T> x, params int[] dims)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != x.Rank)
        {
            throw new ArgumentException($"Permute: got {dims.Length} dimensions {ViewArguments.Format(dims)} for a tensor of rank {x.Rank} (shape {x.Shape}).", nameof(dims));
        }

        int[] order = new int[dims.Length];
        bool[] seen = new bool[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            order[i] = ViewArguments.Dim("Permute", x.Shape, dims[i], nameof(dims));
            if (seen[order[i]])
            {
                throw new ArgumentException($"Permute: dimension {dims[i]} appears twice in {ViewArguments.Format(dims)} (shape {x.Shape}).", nameof(dims));
            }

            seen[order[i]] = true;
        }

        return PermuteView(x, order, "Permute");
    }

    private static Tensor<T> PermuteView<T>(Tensor<T> x, int[] order, string opName)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int[] dims = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            dims[i] = x.Shape.Dims[order[i]];
        }

        var shape = Shape.Of(dims);
        return MakeView(x, shape, Permuted(x.Strides, order), x.Offset, new ViewLayout(shape, Permuted(x.Shape.ContiguousStrides, order), 0), opName);
    }

    private static int[] Permuted(ReadOnlySpan<int> strides, int[] order)
    {
        int[] result = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            result[i] = strides[order[i]];
        }

        return result;
    }
}
