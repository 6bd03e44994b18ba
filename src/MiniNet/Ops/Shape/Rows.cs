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
            Tape.Record(new RowsBackward<T>(output, x, start));
        }

        return output;
    }

    /// <summary>
    /// The adjoint of <see cref="SliceRows{T}"/>: a tensor of <paramref name="rows"/> rows, zero except rows
    /// <c>[start, start + g.rows)</c>, which hold <paramref name="g"/>. The differentiable backward of Rows.
    /// </summary>
    /// <remarks>PyTorch: <c>torch.zeros(rows, ...).narrow(0, start, count).copy_(g)</c>, i.e. narrow's backward.</remarks>
    internal static Tensor<T> EmbedRows<T>(Tensor<T> g, int rows, int start)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int[] dims = g.Shape.ToArray();
        int count = dims[0];
        dims[0] = rows;
        var output = new Tensor<T>(new Shape(dims));
        int rowSize = count == 0 ? 0 : g.Count / count;
        g.AsReadOnlySpan().CopyTo(output.Span.Slice(start * rowSize, g.Count));
        if (Tape.ShouldRecord(g))
        {
            Tape.Record(new EmbedRowsBackward<T>(output, g, start));
        }

        return output;
    }
}
/// <summary>Backward of <see cref="Tensor{T}.Rows"/>: the gradient lands in the sliced rows, zero elsewhere.</summary>
file sealed class RowsBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _start;

    public RowsBackward(Tensor<T> output, Tensor<T> x, int start)
        : base(output, x)
    {
        _start = start;
        SaveForBackward(output: false);
    }

    public override string OpName => "Rows";

    // out[r] = x[start + r], so dL/dx[start + r] += g[r]; other rows get nothing.
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        InPlace.Add(GradFor(0).Slice(_start * RowSize(Inputs[0]), g.Length), g);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [Ops.EmbedRows(gradOutput, Inputs[0].Shape.Dims[0], _start)];

    internal static int RowSize(Tensor<T> t) => t.Shape.Dims[0] == 0 ? 0 : t.Count / t.Shape.Dims[0];
}

/// <summary>Backward of <see cref="Ops.EmbedRows{T}"/>: the gradient of the embedded rows, sliced back out.</summary>
file sealed class EmbedRowsBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _start;

    public EmbedRowsBackward(Tensor<T> output, Tensor<T> g, int start)
        : base(output, g)
    {
        _start = start;
        SaveForBackward(output: false);
    }

    public override string OpName => "RowsBackward";

    // out[start + r] = g[r]: dL/dg[r] += gradOutput[start + r].
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        InPlace.Add(grad, GradOutput.Slice(_start * RowsBackward<T>.RowSize(Inputs[0]), grad.Length));
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.SliceRows(gradOutput, _start, Inputs[0].Shape.Dims[0])];
}
