using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Merges dimensions <paramref name="startDim"/> through <paramref name="endDim"/> into one, keeping the row-major
    /// order: <c>[N, C, H, W].Flatten(1) = [N, C H W]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="startDim">The first dimension merged; negative counts from the end.</param>
    /// <param name="endDim">The last dimension merged (inclusive); negative counts from the end; -1 is the last.</param>
    /// <returns>The reshaped tensor: a view when the layout allows it, otherwise a copy (as <see cref="Reshape{T}"/>).</returns>
    /// <remarks>
    /// PyTorch: <c>torch.flatten(x, start_dim, end_dim)</c>, but note the default: <paramref name="startDim"/> is 1 here
    /// (keep the batch dimension, as <c>nn.Flatten</c>), while <c>torch.flatten(x)</c> / <c>x.flatten()</c> start at 0;
    /// port <c>x.flatten()</c> as <c>x.Flatten(0)</c>. Backward reshapes the gradient back. A rank-0 input gives
    /// <c>[1]</c>, as in PyTorch.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is out of range, or <paramref name="startDim"/> comes after <paramref name="endDim"/>.</exception>
    public static Tensor<T> Flatten<T>(this Tensor<T> x, int startDim = 1, int endDim = -1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
        {
            return x.Reshape(1);
        }

        int rank = x.Rank, start = startDim < 0 ? startDim + rank : startDim, end = endDim < 0 ? endDim + rank : endDim;
        if ((uint)start >= (uint)rank || (uint)end >= (uint)rank || start > end)
        {
            throw new ArgumentOutOfRangeException(nameof(startDim),
                $"Flatten: dimensions {startDim}..{endDim} do not form a range of a rank-{rank} tensor (shape {x.Shape}).");
        }

        ReadOnlySpan<int> dims = x.Shape.Dims;
        int[] shape = new int[rank - (end - start)];
        int merged = 1;
        for (int i = start; i <= end; i++)
        {
            merged *= dims[i];
        }

        for (int i = 0, o = 0; i < rank; i++)
        {
            if (i < start || i > end)
            {
                shape[o++] = dims[i];
            }
            else if (i == start)
            {
                shape[o++] = merged;
            }
        }

        return x.Reshape(shape);
    }
}
