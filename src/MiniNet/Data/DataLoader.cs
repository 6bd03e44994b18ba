using System;
using System.Collections;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.Data;

/// <summary>One mini-batch: the input rows, their target rows and (when the loader has them) their class labels.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Inputs">Inputs, <c>[B, ...]</c>.</param>
/// <param name="Targets">Targets, <c>[B, ...]</c> (e.g. one-hot rows).</param>
/// <param name="Labels">Class labels of the rows, or an empty array when the loader was given none.</param>
/// <param name="Indexes">The dataset row of each batch row.</param>
public readonly record struct Batch<T>(Tensor<T> Inputs, Tensor<T> Targets, int[] Labels, int[] Indexes)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The number of examples in the batch (<c>B</c>).</summary>
    public int Size => Indexes.Length;
}

/// <summary>
/// Splits a dataset (inputs and targets with the same first dimension) into mini-batches. Each enumeration is one
/// epoch: when a generator is given, the order is a fresh seeded shuffle every epoch; otherwise rows stay in order.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.utils.data.DataLoader(TensorDataset(x, y), batch_size, shuffle, drop_last)</c> with a seeded
/// <c>generator</c>. The batches are copies, not recorded on the tape. With <c>reuseBuffers</c> the full-size batch
/// tensors are allocated once and overwritten for every batch (bumping their version, so a graph that still needs
/// an old batch fails loudly in backward instead of using new data); keep no references across iterations.
/// </remarks>
public sealed class DataLoader<T> : IEnumerable<Batch<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Tensor<T> _inputs, _targets;
    private readonly int[]? _labels;
    private readonly Rng? _rng;
    private readonly bool _reuseBuffers;
    private Batch<T>? _buffers;

    /// <summary>Creates the loader.</summary>
    /// <param name="inputs">Inputs, one example per index of the first dimension.</param>
    /// <param name="targets">Targets with the same first dimension (e.g. <see cref="Labels.OneHot{T}(ReadOnlySpan{int}, int)"/>).</param>
    /// <param name="batchSize">Examples per batch, positive.</param>
    /// <param name="shuffle">The generator to shuffle with each epoch, or null to keep the order.</param>
    /// <param name="dropLast">Drop the last batch when it is smaller than <paramref name="batchSize"/> (kept by default).</param>
    /// <param name="reuseBuffers">Overwrite the same batch tensors every time instead of allocating new ones.</param>
    /// <param name="labels">Optional class labels, one per example, passed through in <see cref="Batch{T}.Labels"/>.</param>
    /// <exception cref="ArgumentException">The inputs are rank 0, or the first dimensions / label count differ; the message names them.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public DataLoader(Tensor<T> inputs, Tensor<T> targets, int batchSize, Rng? shuffle = null, bool dropLast = false, bool reuseBuffers = false, ReadOnlySpan<byte> labels = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.Shape[0] != targets.Shape[0])
        {
            throw new ArgumentException($"DataLoader needs inputs and targets with the same first dimension; got {inputs.Shape} and {targets.Shape}.");
        }

        if (!labels.IsEmpty && labels.Length != inputs.Shape[0])
        {
            throw new ArgumentException($"DataLoader got {labels.Length} labels for {inputs.Shape[0]} examples.", nameof(labels));
        }

        (_inputs, _targets, BatchSize, _rng, DropLast, _reuseBuffers) = (inputs, targets, batchSize, shuffle, dropLast, reuseBuffers);
        _labels = labels.IsEmpty ? null : Labels.ToInt32(labels);
    }

    /// <summary>Creates a loader for a classification set: targets are the one-hot rows of <paramref name="labels"/>.</summary>
    /// <param name="inputs">Inputs, one example per index of the first dimension.</param>
    /// <param name="labels">Class labels, one per example, each in <c>[0, classes)</c>; batches carry both the labels and their one-hot rows.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="batchSize">Examples per batch, positive.</param>
    /// <param name="shuffle">The generator to shuffle with each epoch, or null to keep the order.</param>
    /// <param name="dropLast">Drop the last batch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <param name="reuseBuffers">Overwrite the same batch tensors every time.</param>
    /// <exception cref="ArgumentException">The label count differs from the number of examples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, classes)</c>, or <paramref name="batchSize"/> is not positive.</exception>
    public DataLoader(Tensor<T> inputs, ReadOnlySpan<byte> labels, int classes, int batchSize, Rng? shuffle = null, bool dropLast = false, bool reuseBuffers = false)
        : this(inputs, Labels.OneHot<T>(labels, classes), batchSize, shuffle, dropLast, reuseBuffers, labels)
    {
    }

    /// <summary>The number of examples.</summary>
    public int ExampleCount => _inputs.Shape[0];

    /// <summary>Examples per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a final partial batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch: <c>ceil(N / B)</c>, or <c>floor(N / B)</c> with <see cref="DropLast"/>.</summary>
    public int BatchCount => DropLast ? ExampleCount / BatchSize : (ExampleCount + BatchSize - 1) / BatchSize;

    /// <summary>Enumerates one epoch of batches (shuffled anew when the loader has a generator).</summary>
    /// <returns>The batches.</returns>
    public IEnumerator<Batch<T>> GetEnumerator()
    {
        int n = ExampleCount;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        _rng?.Shuffle(order.AsSpan());
        for (int b = 0; b < BatchCount; b++)
        {
            int start = b * BatchSize, size = Math.Min(BatchSize, n - start);
            yield return Gather(order.AsSpan(start, size));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Batch<T> Gather(ReadOnlySpan<int> rows)
    {
        int size = rows.Length;
        Batch<T> batch = size == BatchSize && _reuseBuffers ? (_buffers ??= Allocate(size)) : Allocate(size);
        Copy(_inputs, batch.Inputs, rows);
        Copy(_targets, batch.Targets, rows);
        rows.CopyTo(batch.Indexes);
        if (_labels is not null)
        {
            for (int i = 0; i < size; i++)
            {
                batch.Labels[i] = _labels[rows[i]];
            }
        }

        return batch;
    }

    // Copy writes every row, so the tensors start uninitialized.
    private Batch<T> Allocate(int size) => new(
        Tensor<T>.Uninitialized(new Shape(WithFirst(_inputs.Shape, size))),
        Tensor<T>.Uninitialized(new Shape(WithFirst(_targets.Shape, size))),
        _labels is null ? Array.Empty<int>() : new int[size],
        new int[size]);

    private static int[] WithFirst(Shape shape, int first)
    {
        int[] dims = shape.ToArray();
        dims[0] = first;
        return dims;
    }

    // Through kernel spans (the loader holds the source, the batch the destination), so a large batch the user drops
    // undisposed goes back to StoragePool like an op output instead of leaving it for good.
    private static void Copy(Tensor<T> source, Tensor<T> destination, ReadOnlySpan<int> rows)
    {
        int rowSize = source.Shape[0] == 0 ? 0 : source.Count / source.Shape[0];
        ReadOnlySpan<T> from = source.KernelReadSpan;
        Span<T> to = destination.KernelWriteSpan;
        for (int i = 0; i < rows.Length; i++)
        {
            from.Slice(rows[i] * rowSize, rowSize).CopyTo(to.Slice(i * rowSize, rowSize));
        }
    }
}
