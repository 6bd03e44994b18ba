using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The largest value along one axis: <c>out[..., i, ...] = max_j x[..., j, i, ...]</c>. Values only; the gradient
    /// of each output goes entirely to the first position (lowest index along the axis) holding the maximum.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="axis">The axis to reduce; negative counts from the end (<c>-1</c> is the last).</param>
    /// <param name="keepDim">Keep the reduced axis with size 1, so the result broadcasts against <paramref name="x"/>.</param>
    /// <returns>The maxima.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.max(x, dim, keepdim).values</c>. Its backward routes the whole gradient to the returned index,
    /// which on CPU is the first maximal one; MiniNet does the same. This differs from <c>torch.amax</c>, which
    /// splits the gradient evenly between tied maxima. NaN propagates: a row holding NaN has maximum NaN, and its
    /// gradient goes to the first NaN. <c>-0</c> and <c>+0</c> tie (the first wins). A scalar accepts axis 0 or -1.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    /// <exception cref="ArgumentException">The reduced axis has size 0, so there is no maximum.</exception>
    public static Tensor<T> Max<T>(this Tensor<T> x, int axis, bool keepDim = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (int outer, int n, int inner, Shape shape) = Reduce.Split(x.Shape, axis, keepDim, nameof(Max));
        if (n == 0)
        {
            throw new ArgumentException(
                $"Max: axis {axis} of shape {x.Shape} has size 0, so there is no maximum to take. Check the input is not empty along that axis.",
                nameof(axis));
        }

        var output = new Tensor<T>(shape);
        var indices = new int[outer * inner];
        MaxOperator.Forward(x.AsReadOnlySpan(), output.Span, indices, outer, n, inner);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new MaxBackward<T>(output, x, indices, n, inner));
        }

        return output;
    }
}

/// <summary>Backward of <c>max</c> along an axis.</summary>
file sealed class MaxBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // For each output (o, i), the position j along the axis that was selected.
    private readonly int[] _indices;
    private readonly int _n, _inner;

    public MaxBackward(Tensor<T> output, Tensor<T> x, int[] indices, int n, int inner)
        : base(output, x)
    {
        (_indices, _n, _inner) = (indices, n, inner);
        SaveForBackward(output: false);
    }

    public override string OpName => "Max";

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
        Span<T> m = mask.Span;
        for (int k = 0; k < _indices.Length; k++)
        {
            int o = k / _inner, i = k - (o * _inner);
            m[(((o * _n) + _indices[k]) * _inner) + i] = T.One;
        }

        return [gradOutput.Reshape(outer, 1, _inner).Mul(mask).Reshape(Inputs[0].Shape.ToArray())];
    }
}

/// <summary>Max along the middle axis of an <c>[outer, n, inner]</c> view, keeping the first maximal index.</summary>
file static class MaxOperator
{
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> indices, int outer, int n, int inner)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = (o * n * inner) + i;
                T best = x[baseIndex];
                int bestJ = 0;

                // Strict > keeps the first of tied maxima; NaN compares false with everything, so it is caught explicitly.
                for (int j = 1; j < n && !T.IsNaN(best); j++)
                {
                    T v = x[baseIndex + (j * inner)];
                    if (v > best || T.IsNaN(v))
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
