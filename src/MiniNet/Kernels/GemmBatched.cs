using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// The layout of a batched matrix product <c>C[b] = op(A[b]) op(B[b])</c> with broadcast batch dimensions (torch.matmul):
/// A is read as the stored shape <see cref="AShape"/> <c>[..batchA, rows, cols]</c> (op = transpose when
/// <see cref="TransposeA"/>), B likewise, and C is <c>[..batch, m, n]</c> contiguous, batch being the broadcast of
/// batchA and batchB. <see cref="OffsetsA"/>[i] / <see cref="OffsetsB"/>[i] are where batch element i of each operand
/// starts (a broadcast operand repeats offsets).
/// </summary>
internal sealed class MatMulLayout
{
    private MatMulLayout(Shape aShape, bool transposeA, Shape bShape, bool transposeB, int m, int n, int k, int[] batch, int[] offsetsA, int[] offsetsB)
    {
        (AShape, TransposeA, BShape, TransposeB, M, N, K, Batch, OffsetsA, OffsetsB) = (aShape, transposeA, bShape, transposeB, m, n, k, batch, offsetsA, offsetsB);
    }

    public Shape AShape { get; }

    public Shape BShape { get; }

    public bool TransposeA { get; }

    public bool TransposeB { get; }

    /// <summary>Rows of op(A) and C.</summary>
    public int M { get; }

    /// <summary>Columns of op(B) and C.</summary>
    public int N { get; }

    /// <summary>The inner size: columns of op(A), rows of op(B).</summary>
    public int K { get; }

    /// <summary>The broadcast batch dimensions.</summary>
    public int[] Batch { get; }

    public int[] OffsetsA { get; }

    public int[] OffsetsB { get; }

    public int BatchCount => OffsetsA.Length;

    /// <summary>
    /// B has no batch dimensions and A is read untransposed, so the whole batch of A is one <c>[batch m, k]</c> matrix
    /// and the product (and both gradients) is one GEMM.
    /// </summary>
    public bool Folds => BShape.Rank == 2 && !TransposeA && AShape.Rank > 2;

    /// <summary>The shape <c>[..batch, rows, cols]</c>.</summary>
    public int[] BatchedDims(int rows, int cols)
    {
        var dims = new int[Batch.Length + 2];
        Batch.CopyTo(dims, 0);
        (dims[^2], dims[^1]) = (rows, cols);
        return dims;
    }

    /// <summary>Checks and lays out the product; <paramref name="left"/> and <paramref name="right"/> are the user's shapes, for messages.</summary>
    /// <exception cref="ArgumentException">The inner sizes differ or the batch dimensions do not broadcast; the message names both shapes.</exception>
    public static MatMulLayout Create(Shape left, Shape right, Shape aShape, bool transposeA, Shape bShape, bool transposeB)
    {
        int m = aShape[transposeA ? -1 : -2], k = aShape[transposeA ? -2 : -1];
        int kb = bShape[transposeB ? -1 : -2], n = bShape[transposeB ? -2 : -1];
        if (k != kb)
        {
            throw new ArgumentException($"MatMul: inner dimensions differ: {left} x {right} ({k} vs {kb}).");
        }

        int rankA = aShape.Rank - 2, rankB = bShape.Rank - 2, rank = Math.Max(rankA, rankB);
        var batch = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int da = d < rank - rankA ? 1 : aShape.Dims[d - (rank - rankA)];
            int db = d < rank - rankB ? 1 : bShape.Dims[d - (rank - rankB)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(
                    $"MatMul: batch dimensions of {left} and {right} cannot be broadcast together ({da} vs {db} at batch dimension {d}).");
            }

            batch[d] = da == 1 ? db : da;
        }

        var resultDims = new int[rank + 2];
        batch.CopyTo(resultDims, 0);
        (resultDims[^2], resultDims[^1]) = (m, n);
        _ = Shape.OfResult("MatMul", left, " x ", right, resultDims); // throws, naming both shapes, when too large
        long count = 1;
        foreach (int d in batch)
        {
            count = Math.Min(count * d, (long)Array.MaxLength + 1);
        }

        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"MatMul: {left} x {right} has {count}+ batch elements, more than an array can hold.");
        }

        int[] offsetsA = Offsets(aShape, batch, count), offsetsB = Offsets(bShape, batch, count);
        return new MatMulLayout(aShape, transposeA, bShape, transposeB, m, n, k, batch, offsetsA, offsetsB);
    }

    // Start of each batch element's matrix in an operand of this stored shape: its batch strides, 0 where it broadcasts.
    private static int[] Offsets(Shape shape, int[] batch, long count)
    {
        var offsets = new int[(int)count];
        int rank = shape.Rank - 2, lead = batch.Length - rank, matrix = shape[-1] * shape[-2];
        var strides = new int[batch.Length];
        for (int d = batch.Length - 1, stride = matrix; d >= lead; d--)
        {
            int size = shape.Dims[d - lead];
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }

        var index = new int[batch.Length];
        for (int i = 0, offset = 0; i < count; i++)
        {
            offsets[i] = offset;
            // Odometer increment over the batch dimensions, keeping the offset in step.
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < batch[d])
                {
                    break;
                }

                offset -= strides[d] * batch[d];
                index[d] = 0;
            }
        }

        return offsets;
    }
}

/// <summary>The batch loops of <see cref="MatMulLayout"/> products over <see cref="Gemm"/>: forward and both gradients.</summary>
internal static class GemmBatched
{
    /// <summary><c>C[b] = op(A[b]) op(B[b])</c> for every batch element.</summary>
    public static void Multiply<T>(MatMulLayout l, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int m = l.M, n = l.N, k = l.K;
        if (l.Folds)
        {
            Gemm.Multiply(a, false, b, l.TransposeB, c, l.BatchCount * m, n, k, accumulate: false);
            return;
        }

        for (int i = 0; i < l.BatchCount; i++)
        {
            Gemm.Multiply(a.Slice(l.OffsetsA[i], m * k), l.TransposeA, b.Slice(l.OffsetsB[i], k * n), l.TransposeB, c.Slice(i * m * n, m * n), m, n, k, accumulate: false);
        }
    }

    /// <summary>
    /// Adds the gradients of <c>sum(C ⊙ G)</c> into <paramref name="gradA"/> and <paramref name="gradB"/> (each skipped
    /// when empty), summed over the batch elements an operand was broadcast to. With <c>A' = op(A)</c>, <c>B' = op(B)</c>:
    /// <c>dA' = G B'^T</c> and <c>dB' = A'^T G</c>, transposed back into the stored layout where op is a transpose.
    /// </summary>
    public static void Backward<T>(MatMulLayout l, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> g, Span<T> gradA, Span<T> gradB)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int m = l.M, n = l.N, k = l.K;
        bool ta = l.TransposeA, tb = l.TransposeB;
        if (l.Folds)
        {
            int rows = l.BatchCount * m;
            if (!gradA.IsEmpty)
            {
                Gemm.Multiply(g, false, b, !tb, gradA, rows, k, n, accumulate: true);
            }

            if (!gradB.IsEmpty)
            {
                if (tb)
                {
                    Gemm.Multiply(g, true, a, false, gradB, n, k, rows, accumulate: true);
                }
                else
                {
                    Gemm.Multiply(a, true, g, false, gradB, k, n, rows, accumulate: true);
                }
            }

            return;
        }

        for (int i = 0; i < l.BatchCount; i++)
        {
            ReadOnlySpan<T> ai = a.Slice(l.OffsetsA[i], m * k), bi = b.Slice(l.OffsetsB[i], k * n), gi = g.Slice(i * m * n, m * n);
            if (!gradA.IsEmpty)
            {
                Span<T> da = gradA.Slice(l.OffsetsA[i], m * k);
                if (ta)
                {
                    Gemm.Multiply(bi, tb, gi, true, da, k, m, n, accumulate: true);   // A stored k x m: dA = B' G^T
                }
                else
                {
                    Gemm.Multiply(gi, false, bi, !tb, da, m, k, n, accumulate: true); // dA = G B'^T
                }
            }

            if (!gradB.IsEmpty)
            {
                Span<T> db = gradB.Slice(l.OffsetsB[i], k * n);
                if (tb)
                {
                    Gemm.Multiply(gi, true, ai, ta, db, n, k, m, accumulate: true);   // B stored n x k: dB = G^T A'
                }
                else
                {
                    Gemm.Multiply(ai, !ta, gi, false, db, k, n, m, accumulate: true); // dB = A'^T G
                }
            }
        }
    }
}
