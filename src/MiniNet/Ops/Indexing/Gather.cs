using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Picks values along <paramref name="dim"/> by an index tensor of the same rank: for dim 1 of a 3-D input,
    /// <c>out[i, j, k] = x[i, index[i, j, k], k]</c>; the result has the index's shape.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension the indices run along; negative counts from the end.</param>
    /// <param name="index">
    /// The indices, as whole numbers stored in a <see cref="Tensor{T}"/> of the same rank as <paramref name="x"/> (the way
    /// <see cref="Ops.ArgMax{T}(Tensor{T}, int, bool)"/> returns them, so <c>x.Gather(1, x.ArgMax(1, keepDim: true))</c> works),
    /// each in <c>[0, x.Shape[dim])</c>; every other size at most <paramref name="x"/>'s. Never differentiated.
    /// </param>
    /// <returns>A tensor of <paramref name="index"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.gather(x, dim, index)</c> (there <c>index</c> is an int64 tensor; MiniNet keeps one element type,
    /// and float holds every index below 2^24 exactly). Backward scatter-adds: <c>grad[..., index[p], ...] += g[p]</c>,
    /// so an index used twice gets both gradients.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The ranks differ, an index size exceeds the input's, or an index is not a whole number in range; the message names
    /// the position and the value.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Gather<T>(this Tensor<T> x, int dim, Tensor<T> index)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(index);
        return x.Gather(dim, IndexValues(index, nameof(Gather)), index.Shape);
    }

    /// <summary>As <see cref="Gather{T}(Tensor{T}, int, Tensor{T})"/>, with the indices given as integers in row-major order of <paramref name="indexShape"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension the indices run along; negative counts from the end.</param>
    /// <param name="index">The indices, each in <c>[0, x.Shape[dim])</c>.</param>
    /// <param name="indexShape">Their shape: the rank of <paramref name="x"/>, every size except along <paramref name="dim"/> at most <paramref name="x"/>'s.</param>
    /// <returns>A tensor of shape <paramref name="indexShape"/>.</returns>
    /// <remarks>PyTorch: <c>torch.gather(x, dim, index)</c>.</remarks>
    /// <exception cref="ArgumentException">The count or shape does not fit, or an index is out of range; the message names the position and the value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Gather<T>(this Tensor<T> x, int dim, ReadOnlySpan<int> index, Shape indexShape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indexShape);
        _ = AxisLayout.Of(x.Shape, dim, nameof(Gather), out int a);
        bool fits = indexShape.ElementCount == index.Length && indexShape.Rank == x.Rank;
        for (int d = 0; fits && d < x.Rank; d++)
        {
            fits = d == a || indexShape.Dims[d] <= x.Shape.Dims[d];
        }

        if (!fits)
        {
            throw new ArgumentException(
                $"Gather: an index of shape {indexShape} ({index.Length} values) does not fit input shape {x.Shape} along dim {dim}: it needs the same rank, and every size except dimension {a} at most the input's.",
                nameof(indexShape));
        }

        int n = x.Rank == 0 ? 1 : x.Shape.Dims[a];
        int[] strides = x.Shape.Strides();
        var position = new int[x.Rank];
        var offsets = new int[index.Length];
        for (int p = 0; p < index.Length; p++)
        {
            int v = index[p];
            if ((uint)v >= (uint)n)
            {
                throw new ArgumentException(
                    $"Gather: index {v} at position [{string.Join(", ", position)}] is out of range for dimension {a} of size {n} (input shape {x.Shape}).", nameof(index));
            }

            int offset = 0;
            for (int d = 0; d < position.Length; d++)
            {
                offset += (d == a ? v : position[d]) * strides[d];
            }

            offsets[p] = offset;
            for (int d = position.Length - 1; d >= 0 && ++position[d] == indexShape.Dims[d]; d--)
            {
                position[d] = 0;
            }
        }

        return Take(x, offsets, indexShape, nameof(Gather));
    }

    /// <summary>Reads whole-number indices out of a tensor, naming the first value that is not one.</summary>
    internal static int[] IndexValues<T>(Tensor<T> index, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = index.KernelReadSpan;
        var result = new int[values.Length];
        for (int p = 0; p < values.Length; p++)
        {
            T v = values[p];
            if (!T.IsInteger(v) || v < T.CreateTruncating(int.MinValue) || v > T.CreateTruncating(int.MaxValue))
            {
                throw new ArgumentException($"{op}: the index tensor (shape {index.Shape}) holds {v} at flat position {p}; indices must be whole numbers.", nameof(index));
            }

            result[p] = int.CreateTruncating(v);
        }

        GC.KeepAlive(index); // kernel spans do not keep storage from the pool (see StoragePool)
        return result;
    }
}
