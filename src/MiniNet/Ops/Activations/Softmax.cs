using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Softmax along one axis: <c>out[..., k, ...] = exp(x_k - m) / sum_j exp(x_j - m)</c> with <c>m = max_j x_j</c>
    /// over that axis, so every slice along <paramref name="axis"/> is a probability distribution.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input (logits).</param>
    /// <param name="axis">The axis to normalise over; negative axes count from the end (<c>-1</c> is the last). A scalar accepts 0 or -1.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape with values in <c>[0, 1]</c>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.softmax(x, dim)</c> / <c>F.softmax</c>. Subtracting the maximum leaves the result unchanged
    /// mathematically but keeps every exponent at most 0, so logits like ±1000 give finite, exact results. A NaN in a
    /// slice makes that whole slice NaN, as in PyTorch. Backward: <c>grad_x = s ⊙ (g - sum(g ⊙ s, axis))</c>.
    /// To train with cross-entropy prefer <see cref="CrossEntropy{T}(Tensor{T}, ReadOnlySpan{int}, Reduction)"/>, or
    /// <see cref="LogSoftmax{T}"/>, which never take the logarithm of a rounded-to-zero probability.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> Softmax<T>(this Tensor<T> x, int axis)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var layout = AxisLayout.Of(x.Shape, axis, nameof(Softmax));
        var output = new Tensor<T>(x.Shape);
        SoftmaxKernel.Forward(x.AsReadOnlySpan(), output.Span, layout, log: false);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SoftmaxBackward<T>(output, x, layout));
        }

        return output;
    }
}

/// <summary>Backward of softmax along one axis.</summary>
file sealed class SoftmaxBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly AxisLayout _layout;

    public SoftmaxBackward(Tensor<T> output, Tensor<T> x, AxisLayout layout)
        : base(output, x)
    {
        _layout = layout;
        SaveForBackward(output: true);
    }

    public override string OpName => "Softmax";

    // ds_k/dx_j = s_k (delta_kj - s_j), so grad_j = sum_k g_k s_k (delta_kj - s_j) = s_j (g_j - sum_k g_k s_k),
    // with the sum taken along the axis: one dot product per slice, read from the saved output s.
    public override void Backward()
    {
        ReadOnlySpan<T> s = Output.AsReadOnlySpan();
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        int n = _layout.Length, inner = _layout.Inner, block = _layout.Block;
        T[] dots = BufferPool<T>.RentCleared(_layout.Outer * inner);
        SoftmaxKernel.SumAlongAxis(g, s, dots, _layout);
        for (int o = 0; o < _layout.Outer; o++)
        {
            for (int k = 0; k < n; k++)
            {
                int start = (o * block) + (k * inner);
                for (int i = 0; i < inner; i++)
                {
                    int at = start + i;
                    grad[at] += s[at] * (g[at] - dots[(o * inner) + i]);
                }
            }
        }

        BufferPool<T>.Return(dots);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        int[] view = [_layout.Outer, _layout.Length, _layout.Inner];
        Tensor<T> s = Output.Reshape(view), g = gradOutput.Reshape(view);
        Tensor<T> dots = g.Mul(s).Sum(1, keepDim: true);
        return [s.Mul(g.Sub(dots)).Reshape(Inputs[0].Shape.ToArray())];
    }
}
