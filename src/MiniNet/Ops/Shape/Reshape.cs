using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The same elements, in the same row-major order, under a new shape: <c>out.flat[i] = x.flat[i]</c>. A view (no
    /// copy) when <paramref name="x"/>'s layout allows it (always for a contiguous tensor), otherwise a copy.
    /// One size may be <c>-1</c>; it is inferred from the element count.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="shape">The new sizes; their product must equal <paramref name="x"/>'s element count. No sizes gives a scalar.</param>
    /// <returns>A view sharing <paramref name="x"/>'s storage (writes through one show in the other), or a contiguous copy of a view that cannot be reshaped in place.</returns>
    /// <remarks>PyTorch: <c>x.reshape(shape)</c>, with the same view-or-copy rule. Backward reshapes the gradient back.</remarks>
    /// <exception cref="ArgumentException">
    /// The element counts differ, more than one size is <c>-1</c>, a size is below <c>-1</c>, or <c>-1</c> is ambiguous
    /// (the other sizes multiply to 0); the message names both shapes.
    /// </exception>
    public static Tensor<T> Reshape<T>(this Tensor<T> x, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        Shape target = ReshapeTargetShape("Reshape", x.Shape, shape);
        int[]? strides = ViewStrides(x.Shape, x.Strides, target);
        return strides is null ? ViewAsShape(x.Contiguous(), target, target.ContiguousStrides) : ViewAsShape(x, target, strides);
    }

    /// <summary>
    /// The same elements under a new shape, always as a view sharing <paramref name="x"/>'s storage:
    /// <c>out.flat[i] = x.flat[i]</c>. One size may be <c>-1</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="shape">The new sizes; their product must equal <paramref name="x"/>'s element count.</param>
    /// <returns>A view (no copy).</returns>
    /// <remarks>PyTorch: <c>x.view(shape)</c>. Backward reshapes the gradient back.</remarks>
    /// <exception cref="ArgumentException">
    /// The sizes do not fit (as for <see cref="Reshape{T}"/>), or <paramref name="x"/>'s strides do not allow the new
    /// shape without a copy (a transposed matrix cannot be flattened in place); the message names shape and strides.
    /// </exception>
    public static Tensor<T> View<T>(this Tensor<T> x, params int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        Shape target = ReshapeTargetShape("View", x.Shape, shape);
        int[] strides = ViewStrides(x.Shape, x.Strides, target) ?? throw new ArgumentException(
            $"View: a tensor of shape {x.Shape} with strides {ViewArguments.Format(x.Strides)} cannot be viewed as {target}: the " +
            "dimensions it merges or splits are not contiguous in memory. Use Reshape (it copies then) or call Contiguous() first.", nameof(shape));
        return ViewAsShape(x, target, strides);
    }

    private static Tensor<T> ViewAsShape<T>(Tensor<T> x, Shape target, int[] strides)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MakeView(x, target, strides, x.Offset, new ViewLayout(target, target.ContiguousStrides, 0), "Reshape");

    /// <summary>
    /// The strides that show a tensor of <paramref name="from"/> with <paramref name="strides"/> as <paramref name="to"/>
    /// without moving elements, or null when there are none. Each run of input dimensions that are contiguous with one
    /// another may be split or merged freely; a new dimension may not straddle two runs (PyTorch's <c>computeStride</c>).
    /// </summary>
    private static int[]? ViewStrides(Shape from, ReadOnlySpan<int> strides, Shape to)
    {
        if (from.Rank == 0 || from.ElementCount == 0)
        {
            return to.ContiguousStrides;
        }

        ReadOnlySpan<int> oldDims = from.Dims, newDims = to.Dims;
        int[] result = new int[to.Rank];
        int viewD = to.Rank - 1;
        long chunkStride = strides[^1], tensorCount = 1, viewCount = 1;
        for (int d = from.Rank - 1; d >= 0; d--)
        {
            tensorCount *= oldDims[d];
            if (d == 0 || (oldDims[d - 1] != 1 && strides[d - 1] != tensorCount * chunkStride))
            {
                while (viewD >= 0 && (viewCount < tensorCount || newDims[viewD] == 1))
                {
                    result[viewD] = (int)(viewCount * chunkStride);
                    viewCount *= newDims[viewD];
                    viewD--;
                }

                if (viewCount != tensorCount)
                {
                    return null;
                }

                if (d > 0)
                {
                    chunkStride = strides[d - 1];
                    tensorCount = 1;
                    viewCount = 1;
                }
            }
        }

        return viewD == -1 ? result : null;
    }

    private static Shape ReshapeTargetShape(string op, Shape from, int[] requested)
    {
        string Describe() => $"{op}: cannot reshape a tensor of shape {from} ({from.ElementCount} elements) into [{string.Join(", ", requested)}]";

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
