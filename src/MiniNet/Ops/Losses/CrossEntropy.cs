using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Multi-class cross-entropy on logits, fused with the log-softmax: per sample n
    /// <c>l_n = -log softmax(z_n)[y_n] = logsumexp(z_n) - z_n[y_n]</c>, then reduced.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="logits">Unnormalised scores: <c>[N, C]</c> (N samples, C classes), or <c>[C]</c> for one sample.</param>
    /// <param name="labels">The class index of each sample, <c>labels[n]</c> in <c>[0, C)</c>; N of them (one for <c>[C]</c> logits).</param>
    /// <param name="reduction">
    /// <see cref="Reduction.Mean"/> (default) divides the sum by the batch size N, as PyTorch's
    /// <c>F.cross_entropy(z, y)</c>: there is one loss per sample, not per logit, so this is not a division by the element
    /// count <c>N * C</c>. <see cref="Reduction.BatchMean"/> is the same as Mean here (sum over samples / N).
    /// <see cref="Reduction.Sum"/> adds the per-sample losses; <see cref="Reduction.None"/> returns them, shape <c>[N]</c>
    /// (a scalar for <c>[C]</c> logits).
    /// </param>
    /// <returns>The loss.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.cross_entropy(z, y)</c> / <c>nn.CrossEntropyLoss</c> with a <c>long</c> class-index
    /// target (no weights, no ignore_index, no label smoothing). The row maximum is subtracted inside the logsumexp, so
    /// any finite logits give a finite loss. One tape entry: backward writes <c>dl/dz = (softmax(z) - onehot(y)) * g * scale</c>
    /// directly, the derivative of the log-softmax and of the pick combined; no intermediate softmax tensor is recorded.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> is null.</exception>
    /// <exception cref="ArgumentException">The logits are not rank 1 or 2, or the label count differs from N.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, C)</c> (the message names its index and value), or <paramref name="reduction"/> is not a defined value.</exception>
    public static Tensor<T> CrossEntropy<T>(this Tensor<T> logits, ReadOnlySpan<int> labels, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        Shape shape = logits.Shape;
        if (shape.Rank is not (1 or 2))
        {
            throw new ArgumentException($"CrossEntropy: logits must have shape [N, C] or [C], got {shape}.", nameof(logits));
        }

        int batch = shape.Rank == 2 ? shape[0] : 1, classes = shape[-1];
        if (labels.Length != batch)
        {
            throw new ArgumentException($"CrossEntropy: logits of shape {shape} need {batch} label(s), got {labels.Length}.", nameof(labels));
        }

        for (int n = 0; n < labels.Length; n++)
        {
            if ((uint)labels[n] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[n], $"CrossEntropy: labels[{n}] = {labels[n]} is outside [0, {classes}) for logits of shape {shape}.");
            }
        }

        T scale = reduction switch
        {
            Reduction.Mean or Reduction.BatchMean => T.One / T.CreateTruncating(batch),
            Reduction.Sum or Reduction.None => T.One,
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "CrossEntropy: unknown reduction."),
        };
        Shape outputShape = reduction != Reduction.None ? Shape.Scalar : shape.Rank == 2 ? new Shape(batch) : Shape.Scalar;
        var output = new Tensor<T>(outputShape);
        ReadOnlySpan<T> z = logits.KernelReadSpan;
        Span<T> result = output.KernelWriteSpan;
        bool record = Tape.ShouldRecord(logits);
        var logSumExps = new RecyclableBuffer<T>(batch);
        T[] scratch = BufferPool<T>.Rent(classes);
        T sum = T.Zero;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<T> row = z.Slice(n * classes, classes);
            // (m - z_label) + log1p(r) rather than logsumexp - z_label: no rounding of m + log1p(r) first, so a confident
            // right answer (m = z_label) keeps its tiny loss log1p(r) instead of 0 (docs/accuracy.md).
            (T max, T logOnePlusRest) = SoftmaxKernel.LogSumExp(row, scratch);
            logSumExps.Array[n] = max + logOnePlusRest;
            T loss = (max - row[labels[n]]) + logOnePlusRest;
            if (reduction == Reduction.None)
            {
                result[n] = loss;
            }
            else
            {
                sum += loss;
            }
        }

        if (reduction != Reduction.None)
        {
            // Mean over an empty batch is 0 * infinity = NaN, as in PyTorch.
            result[0] = sum * scale;
        }

        BufferPool<T>.Return(scratch);
        GC.KeepAlive(logits); // kernel spans do not keep the logits' storage from the pool (see StoragePool)
        if (record)
        {
            var saved = new RecyclableBuffer<int>(batch);
            labels.CopyTo(saved.Array);
            Tape.Record(new CrossEntropyBackward<T>(output, logits, saved, logSumExps, reduction, scale));
        }
        else
        {
            logSumExps.Recycle();
        }

        return output;
    }

    /// <summary>Cross-entropy of one sample: <c>l = logsumexp(z) - z[label]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="logits">The scores of one sample, shape <c>[C]</c> (or <c>[1, C]</c>).</param>
    /// <param name="label">Its class index in <c>[0, C)</c>.</param>
    /// <param name="reduction">As in <see cref="CrossEntropy{T}(Tensor{T}, ReadOnlySpan{int}, Reduction)"/>; with one sample every reduction but None gives the same value.</param>
    /// <returns>The loss, a scalar for <c>[C]</c> logits.</returns>
    /// <remarks>PyTorch: <c>F.cross_entropy(z, torch.tensor(label))</c> with a 1-D <c>z</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> is null.</exception>
    /// <exception cref="ArgumentException">The logits do not hold exactly one sample.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is outside <c>[0, C)</c>.</exception>
    public static Tensor<T> CrossEntropy<T>(this Tensor<T> logits, int label, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        CrossEntropy(logits, new ReadOnlySpan<int>(in label), reduction);
}

/// <summary>Backward of the fused log-softmax + negative log-likelihood.</summary>
file sealed class CrossEntropyBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Reduction _reduction;
    private readonly T _scale;

    // Pooled (see RecyclableBuffer); the differentiable backward reads them only while it builds its graph.
    private RecyclableBuffer<int> _labels;
    private RecyclableBuffer<T> _logSumExps;

    public CrossEntropyBackward(Tensor<T> output, Tensor<T> logits, RecyclableBuffer<int> labels, RecyclableBuffer<T> logSumExps, Reduction reduction, T scale)
        : base(output, logits) => (_labels, _logSumExps, _reduction, _scale) = (labels, logSumExps, reduction, scale);

    public override string OpName => "CrossEntropy";

    // d/dz_j [logsumexp(z) - z_y] = exp(z_j - logsumexp(z)) - [j = y] = softmax(z)_j - onehot(y)_j,
    // times the sample's upstream gradient (g_n without reduction, else g * scale).
    public override void Backward()
    {
        ReadOnlySpan<T> z = Inputs[0].KernelReadSpan; // the node keeps the logits reachable
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        int classes = Inputs[0].Shape[-1];
        int[] labels = _labels.Array;
        for (int n = 0; n < labels.Length; n++)
        {
            T upstream = _reduction == Reduction.None ? g[n] : g[0] * _scale;
            T logSumExp = _logSumExps.Array[n];
            int offset = n * classes;
            for (int j = 0; j < classes; j++)
            {
                grad[offset + j] += T.Exp(z[offset + j] - logSumExp) * upstream;
            }

            grad[offset + labels[n]] -= upstream;
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> z = Inputs[0];
        int classes = z.Shape[-1];
        int[] labels = _labels.Array;
        var oneHot = new Tensor<T>(z.Shape);
        for (int n = 0; n < labels.Length; n++)
        {
            oneHot.KernelWriteSpan[(n * classes) + labels[n]] = T.One;
        }

        Tensor<T> upstream = _reduction == Reduction.None
            ? (z.Rank == 2 ? gradOutput.Reshape(labels.Length, 1) : gradOutput)
            : gradOutput.Mul(_scale);
        return [z.Softmax(-1).Sub(oneHot).Mul(upstream)];
    }

    protected override void ReleaseSaved()
    {
        _labels.Recycle();
        _logSumExps.Recycle();
    }
}
