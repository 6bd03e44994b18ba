using System;
using System.Numerics;

namespace MiniNet.Data;

/// <summary>Conversions between class labels and tensors.</summary>
public static class Labels
{
    /// <summary>
    /// One-hot encodes class labels: <c>out[i, c] = 1</c> when <c>labels[i] == c</c>, else 0; shape <c>[N, classes]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="labels">The labels, each in <c>[0, classes)</c>.</param>
    /// <param name="classes">The number of classes, positive.</param>
    /// <returns>The encoded targets.</returns>
    /// <remarks>PyTorch: <c>torch.nn.functional.one_hot(labels, classes).to(dtype)</c>. Nielsen's <c>vectorized_result</c>, batched as rows.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is not positive, or a label is outside
    /// <c>[0, classes)</c>; the message names its index and value.</exception>
    public static Tensor<T> OneHot<T>(ReadOnlySpan<int> labels, int classes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var result = Tensor.Zeros<T>(labels.Length, classes);
        Span<T> span = result.AsSpanForWrite();
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label at index {i} is {labels[i]}, outside [0, {classes}).");
            }

            span[(i * classes) + labels[i]] = T.One;
        }

        return result;
    }

    /// <inheritdoc cref="OneHot{T}(ReadOnlySpan{int}, int)"/>
    public static Tensor<T> OneHot<T>(ReadOnlySpan<byte> labels, int classes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => OneHot<T>(ToInt32(labels), classes);

    /// <summary>One-hot encodes class labels as a float tensor <c>[N, classes]</c>.</summary>
    /// <param name="labels">The labels, each in <c>[0, classes)</c>.</param>
    /// <param name="classes">The number of classes, positive.</param>
    /// <returns>The encoded targets.</returns>
    /// <remarks>PyTorch: <c>torch.nn.functional.one_hot(labels, classes).float()</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, classes)</c>; the message names its index and value.</exception>
    public static Tensor<float> OneHot(ReadOnlySpan<byte> labels, int classes) => OneHot<float>(labels, classes);

    /// <summary>Widens byte labels to <see cref="int"/>.</summary>
    /// <param name="labels">The labels.</param>
    /// <returns>A new array.</returns>
    public static int[] ToInt32(ReadOnlySpan<byte> labels)
    {
        var result = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            result[i] = labels[i];
        }

        return result;
    }

    /// <summary>The index of the largest value in each row of a <c>[N, classes]</c> tensor (the predicted class); ties go to the first, and a NaN beats every number.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="scores">Scores, probabilities or logits, 2-D.</param>
    /// <returns>One class index per row.</returns>
    /// <remarks>PyTorch: <c>scores.argmax(dim=1)</c>, which treats NaN as the largest value: a row holding NaN predicts its first NaN, as <see cref="Ops.ArgMax{T}(Tensor{T}, int, bool)"/> does.</remarks>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is not 2-D with at least one column.</exception>
    public static int[] ArgMax<T>(Tensor<T> scores)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Rank != 2 || scores.Shape[1] == 0)
        {
            throw new ArgumentException($"ArgMax needs a [N, classes] tensor with classes >= 1, got {scores.Shape}.", nameof(scores));
        }

        return RowArgMax(scores);
    }

    /// <summary>How many rows of a <c>[N, classes]</c> score tensor have their largest value at the row's label (the number classified correctly).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="scores">Scores, probabilities or logits, 2-D; ties go to the first class, the first NaN wins (as <see cref="ArgMax{T}"/> and <c>torch.argmax</c>).</param>
    /// <param name="labels">One label per row.</param>
    /// <returns>The count of rows with <c>argmax(scores[i]) == labels[i]</c>; divide by N for the accuracy.</returns>
    /// <remarks>PyTorch: <c>(scores.argmax(dim=1) == labels).sum()</c>.</remarks>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is not 2-D with at least one column, or the label count is not N.</exception>
    public static int CountCorrect<T>(Tensor<T> scores, ReadOnlySpan<int> labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Rank != 2 || scores.Shape[1] == 0 || labels.Length != scores.Shape[0])
        {
            throw new ArgumentException($"CountCorrect needs [N, classes] scores with classes >= 1 and N labels, got {scores.Shape} and {labels.Length} labels.", nameof(labels));
        }

        int[] predicted = RowArgMax(scores);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }

    /// <inheritdoc cref="CountCorrect{T}(Tensor{T}, ReadOnlySpan{int})"/>
    public static int CountCorrect<T>(Tensor<T> scores, ReadOnlySpan<byte> labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => CountCorrect(scores, ToInt32(labels));

    /// <summary>The fraction of rows of a <c>[N, classes]</c> score tensor whose largest value is at the row's label.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="scores">Scores, probabilities or logits, 2-D; ties go to the first class, the first NaN wins (as <see cref="ArgMax{T}"/> and <c>torch.argmax</c>).</param>
    /// <param name="labels">One label per row.</param>
    /// <returns><c>CountCorrect / N</c>, in [0, 1]; NaN for N = 0.</returns>
    /// <remarks>PyTorch: <c>(scores.argmax(dim=1) == labels).float().mean()</c>.</remarks>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is not 2-D with at least one column, or the label count is not N.</exception>
    public static double Accuracy<T>(Tensor<T> scores, ReadOnlySpan<int> labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => (double)CountCorrect(scores, labels) / labels.Length;

    /// <inheritdoc cref="Accuracy{T}(Tensor{T}, ReadOnlySpan{int})"/>
    public static double Accuracy<T>(Tensor<T> scores, ReadOnlySpan<byte> labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => (double)CountCorrect(scores, labels) / labels.Length;

    // The same scan as Ops.ArgMax (first maximum; the first NaN wins, as torch.argmax treats NaN as the largest).
    private static int[] RowArgMax<T>(Tensor<T> scores)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = scores.Shape[0], classes = scores.Shape[1];
        var indices = new int[n];
        Extremum.AlongAxis(scores.KernelReadSpan, new T[n], indices, n, classes, 1, max: true);
        GC.KeepAlive(scores); // kernel spans do not keep storage from the pool (see StoragePool)
        return indices;
    }
}
