using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Pads with a constant: <paramref name="pads"/> lists <c>(before, after)</c> pairs starting from the LAST dimension,
    /// so <c>[1, 2]</c> adds one value before and two after along the last dimension, <c>[1, 2, 3, 4]</c> also three
    /// before and four after along the second-to-last. A negative pad crops that many elements instead.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="pads">An even number of sizes, at most <c>2 * Rank</c>, in PyTorch's order (last dimension first).</param>
    /// <param name="value">The fill value (converted to <typeparamref name="T"/>).</param>
    /// <returns>A new tensor; dimension <c>d</c> grows by <c>before[d] + after[d]</c>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.pad(x, pads, mode='constant', value)</c>. Backward copies the gradient of the
    /// region that came from <paramref name="x"/> (the padding gets none): it is the same pad with negated sizes.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="pads"/> has odd length or more than <c>2 * Rank</c> entries, or a negative pad would give a negative size.
    /// </exception>
    public static Tensor<T> Pad<T>(this Tensor<T> x, int[] pads, double value = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(pads);
        if (pads.Length % 2 != 0 || pads.Length > 2 * x.Rank)
        {
            throw new ArgumentException(
                $"Pad: got {pads.Length} pad sizes [{string.Join(", ", pads)}] for shape {x.Shape}; give an even number, at most 2 * rank = {2 * x.Rank} ((before, after) per dimension, last dimension first).",
                nameof(pads));
        }

        var before = new int[x.Rank];
        var after = new int[x.Rank];
        for (int k = 0; k < pads.Length / 2; k++)
        {
            int d = x.Rank - 1 - k;
            (before[d], after[d]) = (pads[2 * k], pads[(2 * k) + 1]);
            if (x.Shape.Dims[d] + before[d] + after[d] < 0)
            {
                throw new ArgumentException(
                    $"Pad: pads ({before[d]}, {after[d]}) on dimension {d} of shape {x.Shape} would give size {x.Shape.Dims[d] + before[d] + after[d]}, below 0.",
                    nameof(pads));
            }
        }

        return PadCore(x, before, after, T.CreateTruncating(value));
    }

    /// <summary>A copy of <c>x.narrow(dim, start, length)</c> with its own backward (Cat's and Stack's differentiable backward).</summary>
    internal static Tensor<T> NarrowCopy<T>(Tensor<T> x, int dim, int start, int length)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var before = new int[x.Rank];
        var after = new int[x.Rank];
        before[dim] = -start;
        after[dim] = -(x.Shape.Dims[dim] - start - length);
        return PadCore(x, before, after, T.Zero);
    }

    /// <summary>Pads (or, with negative sizes, crops) each dimension <c>d</c> by <c>before[d]</c> and <c>after[d]</c>.</summary>
    internal static Tensor<T> PadCore<T>(Tensor<T> x, int[] before, int[] after, T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var dims = new int[x.Rank];
        for (int d = 0; d < dims.Length; d++)
        {
            dims[d] = x.Shape.Dims[d] + before[d] + after[d];
        }

        var shape = Shape.Of(dims);
        var output = Tensor<T>.Uninitialized(shape);
        Span<T> y = output.KernelWriteSpan;
        ReadOnlySpan<T> source = x.KernelReadSpan; // x stays reachable: Tape.ShouldRecord reads it after
        var rows = new PadRegion(x.Shape, shape, before);
        if (!rows.Covers(shape) || value != T.Zero)
        {
            y.Fill(value);
        }

        while (rows.MoveNext())
        {
            source.Slice(rows.SourceOffset, rows.Length).CopyTo(y.Slice(rows.TargetOffset, rows.Length));
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new PadBackward<T>(output, x, before, after));
        }

        return output;
    }
}

/// <summary>Backward of a constant pad (or crop): the gradient of the copied region goes back, the fill gets none.</summary>
file sealed class PadBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _before, _after;

    public PadBackward(Tensor<T> output, Tensor<T> x, int[] before, int[] after)
        : base(output, x)
    {
        (_before, _after) = (before, after);
        SaveForBackward(output: false);
    }

    public override string OpName => "Pad";

    // out[i + before] = x[i] inside the region, a constant elsewhere: grad[i] += g[i + before].
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        var rows = new PadRegion(Inputs[0].Shape, Output.Shape, _before);
        while (rows.MoveNext())
        {
            InPlace.Add(grad.Slice(rows.SourceOffset, rows.Length), g.Slice(rows.TargetOffset, rows.Length));
        }
    }

    // The adjoint of padding by (before, after) is cropping by the same amounts: the pad with negated sizes.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.PadCore(gradOutput, Negated(_before), Negated(_after), T.Zero)];

    private static int[] Negated(int[] sizes) => Array.ConvertAll(sizes, s => -s);
}

/// <summary>
/// The rows (runs along the last dimension) that a pad copies: source element <c>i</c> lands at <c>i + before</c> in the
/// target when that is inside it. Gives each row's offset in the source and in the target, and its length.
/// </summary>
internal struct PadRegion
{
    private readonly int[] _low, _high, _index, _sourceStrides, _targetStrides, _before;
    private readonly bool _empty;
    private bool _started;

    public PadRegion(Shape source, Shape target, int[] before)
    {
        int rank = source.Rank;
        (_low, _high, _index, _before) = (new int[rank], new int[rank], new int[rank], before);
        (_sourceStrides, _targetStrides) = (source.Strides(), target.Strides());
        for (int d = 0; d < rank; d++)
        {
            _low[d] = Math.Max(0, -before[d]);
            _high[d] = Math.Min(source.Dims[d], target.Dims[d] - before[d]);
            _empty |= _high[d] <= _low[d];
            _index[d] = _low[d];
        }

        Length = rank == 0 ? 1 : Math.Max(0, _high[rank - 1] - _low[rank - 1]);
        (_started, SourceOffset, TargetOffset) = (false, 0, 0);
    }

    public int Length { get; }

    public int SourceOffset { get; private set; }

    public int TargetOffset { get; private set; }

    /// <summary>True when the copied region fills the whole target (no padding to write).</summary>
    public readonly bool Covers(Shape target)
    {
        for (int d = 0; d < _low.Length; d++)
        {
            if (_high[d] - _low[d] != target.Dims[d])
            {
                return false;
            }
        }

        return true;
    }

    public bool MoveNext()
    {
        if (_empty)
        {
            return false;
        }

        int rank = _index.Length;
        if (_started)
        {
            int axis = rank - 2;
            for (; axis >= 0; axis--)
            {
                if (++_index[axis] < _high[axis])
                {
                    break;
                }

                _index[axis] = _low[axis];
            }

            if (axis < 0)
            {
                return false;
            }
        }
        else if (rank == 0)
        {
            _started = true;
            return true;
        }

        _started = true;
        int source = 0, target = 0;
        for (int d = 0; d < rank; d++)
        {
            source += _index[d] * _sourceStrides[d];
            target += (_index[d] + _before[d]) * _targetStrides[d];
        }

        (SourceOffset, TargetOffset) = (source, target);
        return true;
    }
}
