using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Copies the rows <c>[start, start + count)</c> of the first dimension and records the slice on the tape,
    /// so the gradient of the copy flows back into those rows of <paramref name="x"/>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="start">The first row.</param>
    /// <param name="count">How many rows.</param>
    /// <returns>A tensor of shape <c>[count, ...]</c> (a copy).</returns>
    /// <remarks>PyTorch: <c>x.narrow(0, start, count).clone()</c>. Backward adds the gradient into rows start..start+count.</remarks>
    internal static Tensor<T> SliceRows<T>(Tensor<T> x, int start, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int rows = x.Shape.Dims[0];
        int[] dims = x.Shape.ToArray();
        dims[0] = count;
        var output = new Tensor<T>(new Shape(dims));
        int rowSize = rows == 0 ? 0 : x.Count / rows;
        x.AsReadOnlySpan().Slice(start * rowSize, count * rowSize).CopyTo(output.Span);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new RowsBackward<T>(output, x, start * rowSize));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Tensor{T}.Rows"/>: the gradient lands in the sliced rows, zero elsewhere.</summary>
file sealed class RowsBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _offset;

    public RowsBackward(Tensor<T> output, Tensor<T> x, int offset)
        : base(output, x)
    {
        _offset = offset;
    }

    public override string OpName => "Rows";

    // out.flat[i] = x.flat[offset + i], so dL/dx.flat[offset + i] += g.flat[i]; other rows get nothing.
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0).Slice(_offset, g.Length);
        InPlace.Add(grad, g);
    }
}
