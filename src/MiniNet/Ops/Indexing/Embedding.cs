using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> <c>[numEmbeddings, dim]</c>: <c>y[i..., :] = weight[indices[i...], :]</c>,
    /// shaped <c>indexShape + [dim]</c>. The row <paramref name="paddingIndex"/>, if given, receives no gradient.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weight">The table, <c>[numEmbeddings, dim]</c>.</param>
    /// <param name="indices">The row indices, each in <c>[0, numEmbeddings)</c>, in row-major order of <paramref name="indexShape"/>.</param>
    /// <param name="indexShape">The shape of the index tensor; its element count must equal <paramref name="indices"/>' length.</param>
    /// <param name="paddingIndex">A row excluded from the gradient (negative counts from the end, as in PyTorch), or null.</param>
    /// <returns>The gathered rows.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.embedding(input, weight, padding_idx)</c>. Backward scatters-adds each output row's
    /// gradient into its table row: <c>dweight[indices[i]] += g[i]</c>, except for the padding row.
    /// </remarks>
    /// <exception cref="ArgumentException">The weight is not 2-D, or the index count does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index or the padding index is outside the table; the message names its position and value.</exception>
    public static Tensor<T> Embedding<T>(this Tensor<T> weight, ReadOnlySpan<int> indices, Shape indexShape, int? paddingIndex = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(indexShape);
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"Embedding needs a weight [numEmbeddings, dim], got {weight.Shape}.", nameof(weight));
        }

        int rows = weight.Shape.Dims[0], dim = weight.Shape.Dims[1];
        if (indexShape.ElementCount != indices.Length)
        {
            throw new ArgumentException($"Embedding: {indices.Length} indices do not fill the index shape {indexShape}.", nameof(indexShape));
        }

        int padding = NormalizePaddingIndex(paddingIndex, rows);
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Embedding: index {indices[i]} at position {i} is outside the table of {rows} rows ({weight.Shape}).");
            }
        }

        var outputShape = new int[indexShape.Rank + 1];
        indexShape.Dims.CopyTo(outputShape);
        outputShape[^1] = dim;
        var output = Tensor<T>.Uninitialized(new Shape(outputShape));
        ReadOnlySpan<T> table = weight.KernelReadSpan; // weight stays reachable: Tape.ShouldRecord reads it after
        Span<T> y = output.KernelWriteSpan;
        for (int i = 0; i < indices.Length; i++)
        {
            table.Slice(indices[i] * dim, dim).CopyTo(y.Slice(i * dim, dim));
        }

        if (Tape.ShouldRecord(weight))
        {
            Tape.Record(new EmbeddingBackward<T>(output, indices.ToArray(), dim, padding, weight));
        }

        return output;
    }

    /// <summary>PyTorch's <c>padding_idx</c> rule: null gives -1 (none), a negative index counts from the end.</summary>
    internal static int NormalizePaddingIndex(int? paddingIndex, int rows)
    {
        if (paddingIndex is not { } p)
        {
            return -1;
        }

        if (p < -rows || p >= rows)
        {
            throw new ArgumentOutOfRangeException(nameof(paddingIndex), p, $"Embedding: the padding index must be in [-{rows}, {rows}) for a table of {rows} rows.");
        }

        return p < 0 ? p + rows : p;
    }
}

/// <summary>Backward of an embedding lookup; saves the indices.</summary>
file sealed class EmbeddingBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _indices;
    private readonly int _dim, _padding;

    public EmbeddingBackward(Tensor<T> output, int[] indices, int dim, int padding, Tensor<T> weight)
        : base(output, weight)
    {
        (_indices, _dim, _padding) = (indices, dim, padding);
        SaveForBackward(output: false);
    }

    public override string OpName => "Embedding";

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [EmbeddingScatter.Rows(gradOutput, _indices, Inputs[0].Shape.Dims[0], _dim, _padding)];

    // y[i] = W[idx_i]  =>  dW[r] = sum over i with idx_i = r of g[i] (none for the padding row).
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        ReadOnlySpan<T> g = GradOutput;
        for (int i = 0; i < _indices.Length; i++)
        {
            if (_indices[i] != _padding)
            {
                InPlace.Add(grad.Slice(_indices[i] * _dim, _dim), g.Slice(i * _dim, _dim));
            }
        }
    }
}

/// <summary>
/// The embedding's weight gradient as a recorded op (used only by the differentiable backward): rows of g added
/// into a zero table at their indices. Linear in g, so its own backward is a gather, i.e. an Embedding again.
/// </summary>
file static class EmbeddingScatter
{
    public static Tensor<T> Rows<T>(Tensor<T> g, int[] indices, int rows, int dim, int padding)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = new Tensor<T>(new Shape(rows, dim));
        Span<T> table = output.KernelWriteSpan;
        ReadOnlySpan<T> source = g.KernelReadSpan; // g stays reachable: Tape.ShouldRecord reads it after
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] != padding)
            {
                InPlace.Add(table.Slice(indices[i] * dim, dim), source.Slice(i * dim, dim));
            }
        }

        if (Tape.ShouldRecord(g))
        {
            Tape.Record(new EmbeddingScatterBackward<T>(output, g, indices, dim, padding));
        }

        return output;
    }
}

file sealed class EmbeddingScatterBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _indices;
    private readonly int _dim, _padding;

    public EmbeddingScatterBackward(Tensor<T> output, Tensor<T> g, int[] indices, int dim, int padding)
        : base(output, g)
    {
        (_indices, _dim, _padding) = (indices, dim, padding);
        SaveForBackward(output: false);
    }

    public override string OpName => "EmbeddingBackward";

    // out[r] = sum over i with idx_i = r of g[i]  =>  dg[i] = G[idx_i] (0 for the padding index).
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        ReadOnlySpan<T> gg = GradOutput;
        for (int i = 0; i < _indices.Length; i++)
        {
            if (_indices[i] != _padding)
            {
                InPlace.Add(grad.Slice(i * _dim, _dim), gg.Slice(_indices[i] * _dim, _dim));
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Shape g = Inputs[0].Shape;
        Tensor<T> gathered = gradOutput.Embedding(_indices, Shape.Of(g.Dims[..^1]));
        if (_padding < 0)
        {
            return [gathered];
        }

        var mask = new Tensor<T>(g);
        for (int i = 0; i < _indices.Length; i++)
        {
            mask.KernelWriteSpan.Slice(i * _dim, _dim).Fill(_indices[i] == _padding ? T.Zero : T.One);
        }

        return [gathered.Mul(mask)];
    }
}
