using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Max or min along one axis (values), the gradient going to the first arg-extreme; shared by <see cref="Max{T}(Tensor{T}, int, bool)"/> and <see cref="Min{T}(Tensor{T}, int, bool)"/>.</summary>
    internal static Tensor<T> ExtremumAlongAxis<T>(Tensor<T> x, int axis, bool keepDim, bool max, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (int outer, int n, int inner, Shape shape) = ExtremumSplit(x, axis, keepDim, op);
        var output = new Tensor<T>(shape);
        var indices = new int[outer * inner];
        Extremum.AlongAxis(x.KernelReadSpan, output.KernelWriteSpan, indices, outer, n, inner, max);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SelectAlongAxisBackward<T>(output, x, indices, n, inner, op));
        }

        return output;
    }

    /// <summary>The index of the max or min along one axis, as whole numbers in a tensor that never requires a gradient.</summary>
    internal static Tensor<T> ArgExtremumAlongAxis<T>(Tensor<T> x, int axis, bool keepDim, bool max, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (int outer, int n, int inner, Shape shape) = ExtremumSplit(x, axis, keepDim, op);
        var values = new T[outer * inner];
        var indices = new int[outer * inner];
        Extremum.AlongAxis(x.KernelReadSpan, values, indices, outer, n, inner, max);
        GC.KeepAlive(x); // kernel spans do not keep storage from the pool (see StoragePool)
        return IndexTensor<T>(indices, shape);
    }

    /// <summary>The max or min of every element; ties (and NaNs, when the result is NaN) share the gradient evenly.</summary>
    internal static Tensor<T> ExtremumOfAll<T>(Tensor<T> x, bool max, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ThrowIfEmpty(x, op);
        var values = new T[1];
        var index = new int[1];
        Extremum.AlongAxis(x.KernelReadSpan, values, index, 1, x.Count, 1, max);
        var output = new Tensor<T>(Shape.Scalar);
        output.KernelWriteSpan[0] = values[0];
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SpreadOverTiesBackward<T>(output, x, op));
        }

        return output;
    }

    /// <summary>The flat index of the first max or min of every element, as a scalar tensor.</summary>
    internal static Tensor<T> ArgExtremumOfAll<T>(Tensor<T> x, bool max, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ThrowIfEmpty(x, op);
        var values = new T[1];
        var index = new int[1];
        Extremum.AlongAxis(x.KernelReadSpan, values, index, 1, x.Count, 1, max);
        GC.KeepAlive(x); // kernel spans do not keep storage from the pool (see StoragePool)
        return IndexTensor<T>(index, Shape.Scalar);
    }

    private static Tensor<T> IndexTensor<T>(int[] indices, Shape shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new Tensor<T>(shape);
        Span<T> span = result.KernelWriteSpan;
        for (int k = 0; k < indices.Length; k++)
        {
            span[k] = T.CreateTruncating(indices[k]);
        }

        return result;
    }

    private static (int Outer, int N, int Inner, Shape Shape) ExtremumSplit<T>(Tensor<T> x, int axis, bool keepDim, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (int outer, int n, int inner, Shape shape) = Reduce.Split(x.Shape, axis, keepDim, op);
        if (n == 0)
        {
            throw new ArgumentException(
                $"{op}: axis {axis} of shape {x.Shape} has size 0, so there is no {(op.Contains("Max", StringComparison.Ordinal) ? "maximum" : "minimum")} to take. Check the input is not empty along that axis.",
                nameof(axis));
        }

        return (outer, n, inner, shape);
    }

    private static void ThrowIfEmpty<T>(Tensor<T> x, string op)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (x.Count == 0)
        {
            throw new ArgumentException($"{op}: the input (shape {x.Shape}) is empty, so it has no extreme value; reduce along an axis instead, or check the input.", nameof(x));
        }
    }
}

/// <summary>Backward of max/min along an axis: each output's gradient goes to the position it was taken from.</summary>
file sealed class SelectAlongAxisBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // For each output (o, i), the position j along the axis that was selected.
    private readonly int[] _indices;
    private readonly int _n, _inner;

    public SelectAlongAxisBackward(Tensor<T> output, Tensor<T> x, int[] indices, int n, int inner, string op)
        : base(output, x)
    {
        (_indices, _n, _inner, OpName) = (indices, n, inner, op);
        SaveForBackward(output: false);
    }

    public override string OpName { get; }

    // out[o, i] = x[o, j*, i] with j* the selected index, so d out / dx = 1 at j* and 0 elsewhere: grad[o, j*, i] += g[o, i].
    public override void Backward()
    {
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int k = 0; k < _indices.Length; k++)
        {
            int o = k / _inner, i = k - (o * _inner);
            grad[(((o * _n) + _indices[k]) * _inner) + i] += g[k];
        }
    }

    // The selection is piecewise constant: g expanded along the axis, times a constant one-hot mask of the winners.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        int outer = _indices.Length / Math.Max(_inner, 1);
        var mask = new Tensor<T>(new Shape(outer, _n, _inner));
        Span<T> m = mask.KernelWriteSpan;
        for (int k = 0; k < _indices.Length; k++)
        {
            int o = k / _inner, i = k - (o * _inner);
            m[(((o * _n) + _indices[k]) * _inner) + i] = T.One;
        }

        return [gradOutput.Reshape(outer, 1, _inner).Mul(mask).Reshape(Inputs[0].Shape.ToArray())];
    }
}

/// <summary>Backward of the max/min of all elements: the gradient is split evenly between every element equal to the result.</summary>
file sealed class SpreadOverTiesBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public SpreadOverTiesBackward(Tensor<T> output, Tensor<T> x, string op)
        : base(output, x)
    {
        OpName = op;
        SaveForBackward(output: true, 0);
    }

    public override string OpName { get; }

    // out = x[j] for each of the c tied positions j (NaN positions when out is NaN): grad[j] += g / c, as PyTorch's evenly_distribute_backward.
    public override void Backward()
    {
        T g = GradOutput[0];
        Span<T> grad = GradFor(0);
        using Tensor<T> weights = Weights(); // scratch of x's size: back to the pool at once
        InPlace.Axpy(grad, g, weights.KernelReadSpan);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Mul(Weights())];

    // 1 / c at the tied positions, 0 elsewhere: a constant, so the second derivative is 0.
    private Tensor<T> Weights()
    {
        T value = Output.KernelReadSpan[0];
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan;
        var weights = new Tensor<T>(Inputs[0].Shape);
        Span<T> w = weights.KernelWriteSpan;
        int count = 0;
        for (int j = 0; j < x.Length; j++)
        {
            if (T.IsNaN(value) ? T.IsNaN(x[j]) : x[j] == value)
            {
                w[j] = T.One;
                count++;
            }
        }

        InPlace.Scale(w, T.One / T.CreateTruncating(count));
        return weights;
    }
}

/// <summary>Max or min along the middle axis of an <c>[outer, n, inner]</c> view, keeping the first extreme index.</summary>
internal static class Extremum
{
    public static void AlongAxis<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> indices, int outer, int n, int inner, bool max)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = (o * n * inner) + i;
                T best = x[baseIndex];
                int bestJ = 0;

                // Strict comparison keeps the first of tied extremes; NaN compares false with everything, so it is caught explicitly.
                for (int j = 1; j < n && !T.IsNaN(best); j++)
                {
                    T v = x[baseIndex + (j * inner)];
                    if ((max ? v > best : v < best) || T.IsNaN(v))
                    {
                        best = v;
                        bestJ = j;
                    }
                }

                y[(o * inner) + i] = best;
                indices[(o * inner) + i] = bestJ;
            }
        }
    }
}
