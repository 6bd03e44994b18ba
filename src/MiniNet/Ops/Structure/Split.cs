using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Splits into pieces of <paramref name="splitSize"/> along <paramref name="dim"/>; the last piece is smaller when the
    /// size does not divide evenly (size 5 split by 2 gives 2, 2, 1).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="splitSize">The size of each piece, positive (0 only when the dimension is empty).</param>
    /// <param name="dim">The dimension to split; negative counts from the end.</param>
    /// <returns>The pieces, in order: <c>ceil(size / splitSize)</c> of them, at least one (an empty dimension gives one empty piece).</returns>
    /// <remarks>
    /// PyTorch: <c>torch.split(x, split_size, dim)</c>. Each piece is a copy recorded on the tape (its gradient flows
    /// back into its slice of <paramref name="x"/>); PyTorch returns views.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is a scalar, or <paramref name="splitSize"/> is negative, or 0 on a non-empty dimension.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T>[] Split<T>(this Tensor<T> x, int splitSize, int dim = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int a = SplitDim(x, dim, nameof(Split));
        int n = x.Shape.Dims[a];
        if (splitSize < 0 || (splitSize == 0 && n != 0))
        {
            throw new ArgumentException($"Split: split size {splitSize} is invalid for dimension {a} of size {n} (shape {x.Shape}); it must be positive (0 only for an empty dimension).", nameof(splitSize));
        }

        int count = splitSize == 0 ? 1 : Math.Max(1, (n + splitSize - 1) / splitSize);
        var sizes = new int[count];
        for (int k = 0; k < count; k++)
        {
            sizes[k] = Math.Min(splitSize, n - (k * splitSize));
        }

        return Pieces(x, a, sizes);
    }

    /// <summary>Splits into pieces of the given sizes along <paramref name="dim"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="sizes">The size of each piece, each zero or more, summing to the size of <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension to split; negative counts from the end.</param>
    /// <returns>One piece per size, in order.</returns>
    /// <remarks>PyTorch: <c>torch.split(x, [sizes], dim)</c> (<c>split_with_sizes</c>). Each piece is a copy recorded on the tape.</remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is a scalar, a size is negative, or the sizes do not sum to the dimension's size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T>[] Split<T>(this Tensor<T> x, int[] sizes, int dim = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int a = SplitDim(x, dim, nameof(Split));
        long sum = 0;
        foreach (int s in sizes)
        {
            sum += s;
            if (s < 0)
            {
                sum = long.MinValue;
                break;
            }
        }

        if (sum != x.Shape.Dims[a])
        {
            throw new ArgumentException(
                $"Split: sizes [{string.Join(", ", sizes)}] must be non-negative and sum to the size {x.Shape.Dims[a]} of dimension {a} (shape {x.Shape}).", nameof(sizes));
        }

        return Pieces(x, a, (int[])sizes.Clone());
    }

    /// <summary>
    /// Splits into <paramref name="chunks"/> pieces of <c>ceil(size / chunks)</c> along <paramref name="dim"/>, the last smaller;
    /// as in PyTorch this can give fewer pieces than asked (size 5 in 4 chunks gives 2, 2, 1).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="chunks">How many pieces at most, positive.</param>
    /// <param name="dim">The dimension to split; negative counts from the end.</param>
    /// <returns>The pieces; an empty dimension gives <paramref name="chunks"/> empty pieces, as in PyTorch.</returns>
    /// <remarks>PyTorch: <c>torch.chunk(x, chunks, dim)</c>. Each piece is a copy recorded on the tape.</remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is a scalar, or <paramref name="chunks"/> is not positive.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T>[] Chunk<T>(this Tensor<T> x, int chunks, int dim = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int a = SplitDim(x, dim, nameof(Chunk));
        if (chunks <= 0)
        {
            throw new ArgumentException($"Chunk: chunks must be positive, got {chunks} (shape {x.Shape}, dim {dim}).", nameof(chunks));
        }

        int n = x.Shape.Dims[a];
        return n == 0 ? Pieces(x, a, new int[chunks]) : x.Split((n + chunks - 1) / chunks, a);
    }

    private static int SplitDim<T>(Tensor<T> x, int dim, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
        {
            throw new ArgumentException($"{op}: cannot split a scalar (shape []); it needs rank 1 or more.", nameof(x));
        }

        _ = AxisLayout.Of(x.Shape, dim, op, out int a);
        return a;
    }

    private static Tensor<T>[] Pieces<T>(Tensor<T> x, int dim, int[] sizes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var pieces = new Tensor<T>[sizes.Length];
        for (int k = 0, start = 0; k < sizes.Length; start += sizes[k], k++)
        {
            pieces[k] = NarrowCopy(x, dim, start, sizes[k]);
        }

        return pieces;
    }
}
