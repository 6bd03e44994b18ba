using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// <c>out.flat[p] = x.flat[offsets[p]]</c>, shaped <paramref name="shape"/>: the engine behind Gather and IndexSelect,
    /// whose entry points turn their indices into flat offsets (validated) once.
    /// </summary>
    internal static Tensor<T> Take<T>(Tensor<T> x, int[] offsets, Shape shape, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = Tensor<T>.Uninitialized(shape);
        ReadOnlySpan<T> source = x.KernelReadSpan; // x stays reachable: Tape.ShouldRecord reads it after
        Span<T> y = output.KernelWriteSpan;
        for (int p = 0; p < offsets.Length; p++)
        {
            y[p] = source[offsets[p]];
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new TakeBackward<T>(output, x, offsets, op));
        }

        return output;
    }

    /// <summary>
    /// The adjoint of <see cref="Take{T}"/>: a zero tensor of <paramref name="shape"/> with <c>out.flat[offsets[p]] += g.flat[p]</c>
    /// (PyTorch: <c>scatter_add</c> / <c>index_add</c> into zeros), the differentiable backward of Gather and IndexSelect.
    /// </summary>
    internal static Tensor<T> ScatterAddInto<T>(Tensor<T> g, int[] offsets, Shape shape, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = new Tensor<T>(shape);
        ReadOnlySpan<T> source = g.KernelReadSpan; // g stays reachable: Tape.ShouldRecord reads it after
        Span<T> y = output.KernelWriteSpan;
        for (int p = 0; p < offsets.Length; p++)
        {
            y[offsets[p]] += source[p];
        }

        if (Tape.ShouldRecord(g))
        {
            Tape.Record(new ScatterAddBackward<T>(output, g, offsets, op));
        }

        return output;
    }
}

/// <summary>Backward of a gather by flat offsets: each output's gradient is added where it was read from.</summary>
file sealed class TakeBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _offsets;

    public TakeBackward(Tensor<T> output, Tensor<T> x, int[] offsets, string op)
        : base(output, x)
    {
        (_offsets, OpName) = (offsets, op);
        SaveForBackward(output: false);
    }

    public override string OpName { get; }

    // out[p] = x[offsets[p]]: grad[offsets[p]] += g[p] (repeated offsets add up).
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int p = 0; p < _offsets.Length; p++)
        {
            grad[_offsets[p]] += g[p];
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.ScatterAddInto(gradOutput, _offsets, Inputs[0].Shape, OpName)];
}

/// <summary>Backward of the scatter-add: linear, so its gradient is the gather by the same offsets.</summary>
file sealed class ScatterAddBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _offsets;
    private readonly string _op;

    public ScatterAddBackward(Tensor<T> output, Tensor<T> g, int[] offsets, string op)
        : base(output, g)
    {
        (_offsets, _op) = (offsets, op);
        SaveForBackward(output: false);
    }

    public override string OpName => _op + "Backward";

    // out[offsets[p]] += g[p]: dL/dg[p] = gradOutput[offsets[p]].
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int p = 0; p < _offsets.Length; p++)
        {
            grad[p] += g[_offsets[p]];
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.Take(gradOutput, _offsets, Inputs[0].Shape, _op)];
}
