using System;
using System.Numerics;

namespace MiniNet.NN;

/// <summary>
/// A lookup table of <c>numEmbeddings</c> vectors of size <c>embeddingDim</c>: indices in, rows out
/// (<c>[...]</c> to <c>[..., embeddingDim]</c>). The weight starts as <c>N(0, 1)</c>, with the padding row zero.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Embedding(num_embeddings, embedding_dim, padding_idx)</c>, parameter <c>weight</c>. MiniNet
/// tensors hold floating point, so <see cref="Forward(Tensor{T})"/> takes whole numbers stored in a tensor; pass
/// <c>int</c> indices directly with <see cref="Forward(ReadOnlySpan{int}, Shape)"/>.
/// </remarks>
public class Embedding<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _padding;

    /// <summary>Creates the table.</summary>
    /// <param name="numEmbeddings">The number of rows, positive.</param>
    /// <param name="embeddingDim">The size of each row, positive.</param>
    /// <param name="rng">The generator of the initial <c>N(0, 1)</c> values.</param>
    /// <param name="paddingIndex">A row that starts at zero and gets no gradient (negative counts from the end), or null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or the padding index is out of range.</exception>
    public Embedding(int numEmbeddings, int embeddingDim, Rng rng, int? paddingIndex = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        ArgumentNullException.ThrowIfNull(rng);
        _padding = Ops.NormalizePaddingIndex(paddingIndex, numEmbeddings);
        Weight = RegisterParameter("weight", Tensor.Zeros<T>(numEmbeddings, embeddingDim));
        Init.Normal(Weight, rng);
        if (_padding >= 0)
        {
            Weight.AsSpanForWrite().Slice(_padding * embeddingDim, embeddingDim).Clear();
        }
    }

    /// <summary>The table <c>[numEmbeddings, embeddingDim]</c> (PyTorch: <c>weight</c>).</summary>
    public Tensor<T> Weight { get; }

    /// <summary>The padding row, or null.</summary>
    public int? PaddingIndex => _padding >= 0 ? _padding : null;

    /// <summary>Looks up the rows named by <paramref name="indices"/>, shaped <paramref name="indexShape"/>.</summary>
    /// <param name="indices">Row indices in row-major order.</param>
    /// <param name="indexShape">Their shape.</param>
    /// <returns><c>indexShape + [embeddingDim]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the table; the message names its position and value.</exception>
    public Tensor<T> Forward(ReadOnlySpan<int> indices, Shape indexShape) => Weight.Embedding(indices, indexShape, PaddingIndex);

    /// <summary>Looks up the rows named by the whole numbers in <paramref name="input"/>.</summary>
    /// <param name="input">Indices stored as floating point (each a whole number in <c>[0, numEmbeddings)</c>).</param>
    /// <returns><c>input.Shape + [embeddingDim]</c>.</returns>
    /// <exception cref="ArgumentException">A value is not a whole number; the message names its position.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the table; the message names its position and value.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ReadOnlySpan<T> values = input.KernelReadSpan; // input is used below: it stays reachable while this reads
        var indices = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = double.CreateTruncating(values[i]);
            if (v != Math.Floor(v) || !(Math.Abs(v) < int.MaxValue))
            {
                throw new ArgumentException($"Embedding: input value {v} at position {i} of {input.Shape} is not a whole-number index.", nameof(input));
            }

            indices[i] = (int)v;
        }

        return Forward(indices, input.Shape);
    }
}

/// <summary>A float <see cref="Embedding{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Embedding</c>.</remarks>
public sealed class Embedding : Embedding<float>
{
    /// <inheritdoc cref="Embedding{T}(int, int, Rng, int?)"/>
    public Embedding(int numEmbeddings, int embeddingDim, Rng rng, int? paddingIndex = null)
        : base(numEmbeddings, embeddingDim, rng, paddingIndex)
    {
    }
}
