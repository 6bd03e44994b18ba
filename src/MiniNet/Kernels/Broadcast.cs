using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>NumPy/PyTorch broadcasting: shape rules, expansion, and the reverse (summing a gradient back to a shape).</summary>
internal static class Broadcast
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>: dimensions are aligned from the right, and each pair must be equal or contain a 1.</summary>
    /// <exception cref="ArgumentException">The shapes are not broadcastable; the message names the op and both shapes.</exception>
    public static Shape Shapes(Shape a, Shape b, string op)
    {
        if (a == b)
        {
            return a;
        }

        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"{op}: shapes {a} and {b} cannot be broadcast together (dimension {i} from the left of the aligned shapes: {da} vs {db}).");
            }

            dims[i] = da == 1 ? db : da;
        }

        // The common case (a bias row added to a batch) broadcasts to one of the operands' shapes: reuse it.
        ReadOnlySpan<int> result = dims;
        return result.SequenceEqual(a.Dims) ? a : result.SequenceEqual(b.Dims) ? b : Shape.OfResult(op, a, " broadcast with ", b, dims);
    }

    /// <summary>Strides of <paramref name="from"/> aligned to the rank of <paramref name="to"/>, 0 along broadcast dimensions.</summary>
    private static int[] AlignedStrides(Shape from, Shape to)
    {
        int rank = to.Rank;
        var strides = new int[rank];
        int[] own = from.Strides();
        int offset = rank - from.Rank;
        for (int i = offset; i < rank; i++)
        {
            strides[i] = from.Dims[i - offset] == 1 ? 0 : own[i - offset];
        }

        return strides;
    }

    /// <summary>Writes <paramref name="x"/> (shape <paramref name="from"/>) broadcast to shape <paramref name="to"/> into <paramref name="destination"/>.</summary>
    public static void Expand<T>(ReadOnlySpan<T> x, Shape from, Span<T> destination, Shape to)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (from.ElementCount == to.ElementCount)
        {
            x.CopyTo(destination);
            return;
        }

        if (from.ElementCount == 1)
        {
            destination.Slice(0, to.ElementCount).Fill(x[0]);
            return;
        }

        var rows = new RowWalker(from, to);
        while (rows.MoveNext())
        {
            Span<T> dst = destination.Slice(rows.Offset, rows.Length);
            if (rows.SourceStride == 0)
            {
                dst.Fill(x[rows.SourceOffset]);
            }
            else
            {
                x.Slice(rows.SourceOffset, rows.Length).CopyTo(dst);
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> (shape <paramref name="from"/>, the broadcast output) into <paramref name="destination"/>
    /// (shape <paramref name="to"/>, an input), summing over every axis the input was broadcast along.
    /// </summary>
    public static void AccumulateSumTo<T>(ReadOnlySpan<T> gradient, Shape from, Span<T> destination, Shape to)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (from.ElementCount == to.ElementCount)
        {
            InPlace.Add(destination, gradient);
            return;
        }

        if (to.ElementCount == 1)
        {
            destination[0] += TensorPrimitives.Sum(gradient);
            return;
        }

        // The walk runs over the output's rows; "source" is where in the input each output row came from.
        var rows = new RowWalker(to, from);
        while (rows.MoveNext())
        {
            ReadOnlySpan<T> g = gradient.Slice(rows.Offset, rows.Length);
            if (rows.SourceStride == 0)
            {
                destination[rows.SourceOffset] += TensorPrimitives.Sum(g);
            }
            else
            {
                Span<T> dst = destination.Slice(rows.SourceOffset, rows.Length);
                InPlace.Add(dst, g);
            }
        }
    }

    /// <summary>
    /// Visits a target shape row by row (its last dimension), giving where each row starts in the target and where
    /// its broadcast source starts, and whether the source advances along the row (stride 1) or repeats one
    /// element (stride 0).
    /// </summary>
    internal struct RowWalker
    {
        private readonly int[] _strides;
        private readonly int[] _index;
        private readonly Shape _to;
        private readonly int _rows;
        private int _row;

        public RowWalker(Shape from, Shape to)
        {
            _to = to;
            _strides = AlignedStrides(from, to);
            _index = new int[to.Rank];
            Length = to.Rank == 0 ? 1 : to.Dims[to.Rank - 1];
            SourceStride = to.Rank == 0 ? 0 : _strides[to.Rank - 1];
            _rows = Length == 0 ? 0 : to.ElementCount / Length;
            _row = -1;
            SourceOffset = 0;
        }

        public int Length { get; }

        public int SourceStride { get; }

        public int SourceOffset { get; private set; }

        public readonly int Offset => _row * Length;

        public bool MoveNext()
        {
            if (_row >= 0)
            {
                for (int axis = _to.Rank - 2; axis >= 0; axis--)
                {
                    _index[axis]++;
                    SourceOffset += _strides[axis];
                    if (_index[axis] < _to.Dims[axis])
                    {
                        break;
                    }

                    SourceOffset -= _strides[axis] * _index[axis];
                    _index[axis] = 0;
                }
            }

            _row++;
            return _row < _rows;
        }
    }
}
