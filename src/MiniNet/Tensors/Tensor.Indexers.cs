using System;

namespace MiniNet;

/// <content>Indexers: one element by a full index, and views by C# indices and ranges per dimension.</content>
public sealed partial class Tensor<T>
{
    /// <summary>The element at a full index, one entry per dimension.</summary>
    /// <param name="index">One index per dimension; negative indexes are not accepted.</param>
    /// <exception cref="ArgumentException">Wrong number of indexes, or one is out of range.</exception>
    /// <remarks>For a view of part of the tensor instead of one element, index with a range or <c>^i</c>: <c>x[1, ..]</c>, <c>x[^1]</c>.</remarks>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public T this[params int[] index] => Data[StorageIndex(index)];

    /// <summary>
    /// A view (no copy, recorded on the tape) picked by one entry for the first dimension: <c>x[0..10]</c> keeps rows
    /// 0-9, <c>x[^1]</c> selects the last row and removes the dimension.
    /// </summary>
    /// <param name="i0">An <see cref="Index"/> (removes the dimension) or a <see cref="Range"/> (keeps it).</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An entry falls outside its dimension, or there are more entries than dimensions.</exception>
    /// <remarks>PyTorch: <c>x[i]</c>, <c>x[a:b]</c>. All <see cref="int"/> entries pick one element instead (<see cref="this[int[]]"/>); ranges must lie inside the dimension (C# semantics, no clamping as in Python).</remarks>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public Tensor<T> this[TensorIndex i0] => Index([i0]);

    /// <summary>A view picked by one entry per leading dimension: <c>x[.., 3]</c>, <c>x[1, 2..]</c>; an int or Index removes its dimension.</summary>
    /// <param name="i0">The entry for dimension 0.</param>
    /// <param name="i1">The entry for dimension 1.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An entry falls outside its dimension, or there are more entries than dimensions.</exception>
    /// <remarks>PyTorch: <c>x[:, 3]</c>, <c>x[1, 2:]</c>.</remarks>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public Tensor<T> this[TensorIndex i0, TensorIndex i1] => Index([i0, i1]);

    /// <summary>A view picked by one entry per leading dimension (see <see cref="this[TensorIndex, TensorIndex]"/>).</summary>
    /// <param name="i0">The entry for dimension 0.</param>
    /// <param name="i1">The entry for dimension 1.</param>
    /// <param name="i2">The entry for dimension 2.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An entry falls outside its dimension, or there are more entries than dimensions.</exception>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public Tensor<T> this[TensorIndex i0, TensorIndex i1, TensorIndex i2] => Index([i0, i1, i2]);

    /// <summary>A view picked by one entry per leading dimension (see <see cref="this[TensorIndex, TensorIndex]"/>).</summary>
    /// <param name="i0">The entry for dimension 0.</param>
    /// <param name="i1">The entry for dimension 1.</param>
    /// <param name="i2">The entry for dimension 2.</param>
    /// <param name="i3">The entry for dimension 3.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An entry falls outside its dimension, or there are more entries than dimensions.</exception>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public Tensor<T> this[TensorIndex i0, TensorIndex i1, TensorIndex i2, TensorIndex i3] => Index([i0, i1, i2, i3]);

    /// <summary>Narrows the dimensions a range picks, then selects the positions (last first, so earlier dims keep their numbers).</summary>
    private Tensor<T> Index(ReadOnlySpan<TensorIndex> entries)
    {
        if (entries.Length > Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(entries), $"{entries.Length} indices for a tensor of rank {Rank} (shape {Shape}).");
        }

        Tensor<T> result = this;
        for (int d = 0; d < entries.Length; d++)
        {
            if (entries[d].IsRange)
            {
                (int start, int length) = entries[d].RangeIn(Shape.Dims[d], d, Shape);
                if (start != 0 || length != Shape.Dims[d])
                {
                    result = result.Narrow(d, start, length);
                }
            }
        }

        for (int d = entries.Length - 1; d >= 0; d--)
        {
            if (!entries[d].IsRange)
            {
                result = result.Select(d, entries[d].PositionIn(Shape.Dims[d], d, Shape));
            }
        }

        return ReferenceEquals(result, this) ? Ops.Alias(this) : result;
    }

    private int StorageIndex(int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != Rank)
        {
            throw new ArgumentException(
                $"Expected {Rank} indexes for shape {Shape}, got {index.Length}." +
                (index.Length < Rank ? " All-int indices pick one element; for a view of a row write x[(Index)i], x[i, ..] or x.Select(0, i)." : string.Empty),
                nameof(index));
        }

        int flat = Offset;
        ReadOnlySpan<int> strides = Strides;
        for (int i = 0; i < index.Length; i++)
        {
            int size = Shape.Dims[i];
            if ((uint)index[i] >= (uint)size)
            {
                throw new ArgumentException($"Index {index[i]} is out of range for dimension {i} of size {size} in shape {Shape}.", nameof(index));
            }

            flat += index[i] * strides[i];
        }

        return flat;
    }

    /// <summary>The rows <c>[start, start + count)</c> of the first dimension, as a view (no copy).</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">How many rows.</param>
    /// <returns>A tensor of shape <c>[count, ...]</c> sharing this tensor's storage.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range falls outside the first dimension, or the tensor is a scalar.</exception>
    /// <remarks>
    /// PyTorch: <c>x[start:start+count]</c> / <c>x.narrow(0, start, count)</c>. Used for mini-batches; the view is recorded
    /// on the tape, so gradients flow back into these rows. Same as <see cref="Ops.Narrow{T}"/> along dimension 0.
    /// </remarks>
    public Tensor<T> Rows(int start, int count)
    {
        if (Rank == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), "Rows() needs a tensor of rank 1 or more; this one is a scalar.");
        }

        int rows = Shape.Dims[0];
        if (start < 0 || count < 0 || start > rows - count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside the first dimension of shape {Shape}.");
        }

        return this.Narrow(0, start, count);
    }
}
