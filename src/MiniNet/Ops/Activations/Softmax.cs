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
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => SoftmaxAlong(x, axis, log: false);

    /// <summary>
    /// Log-softmax along one axis: <c>out[..., k, ...] = x_k - m - log(sum_j exp(x_j - m))</c> with
    /// <c>m = max_j x_j</c> over that axis, i.e. <c>log(softmax(x, axis))</c> without forming the softmax.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input (logits).</param>
    /// <param name="axis">The axis to normalise over; negative axes count from the end (<c>-1</c> is the last). A scalar accepts 0 or -1.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape with values at most 0.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.log_softmax(x, dim)</c> / <c>F.log_softmax</c>. Stable for any finite logits: with the
    /// maximum subtracted the sum is at least 1, so the result for a logit 2000 below the maximum is about -2000,
    /// where <c>log(softmax(x))</c> gives -infinity. A NaN in a slice makes that whole slice NaN, as in PyTorch.
    /// Backward: <c>grad_x = g - softmax(x) * sum(g, axis)</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is outside <c>[-Rank, Rank)</c>.</exception>
    public static Tensor<T> LogSoftmax<T>(this Tensor<T> x, int axis)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => SoftmaxAlong(x, axis, log: true);

    private static Tensor<T> SoftmaxAlong<T>(Tensor<T> x, int axis, bool log)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var layout = AxisLayout.Of(x.Shape, axis, log ? nameof(LogSoftmax) : nameof(Softmax));
        var output = new Tensor<T>(x.Shape);
        SoftmaxKernel.Forward(x.KernelReadSpan, output.KernelWriteSpan, layout, log);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SoftmaxBackward<T>(output, x, layout, log));
        }

        return output;
    }
}

/// <summary>Backward of softmax or log-softmax along one axis, from the saved output.</summary>
file sealed class SoftmaxBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly AxisLayout _layout;
    private readonly bool _log;

    public SoftmaxBackward(Tensor<T> output, Tensor<T> x, AxisLayout layout, bool log)
        : base(output, x)
    {
        _layout = layout;
        _log = log;
        SaveForBackward(output: true);
    }

    public override string OpName => _log ? "LogSoftmax" : "Softmax";

    // Softmax: ds_k/dx_j = s_k (delta_kj - s_j), so grad_j = s_j (g_j - sum_k g_k s_k).
    // Log-softmax: d(x_k - lse)/dx_j = delta_kj - s_j, so grad_j = g_j - s_j sum_k g_k, with s = exp(saved output).
    // Either way one sum per slice along the axis, then one pass.
    public override void Backward()
    {
        ReadOnlySpan<T> saved = Output.KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        int n = _layout.Length, inner = _layout.Inner, block = _layout.Block;
        T[] sums = BufferPool<T>.RentCleared(_layout.Outer * inner);
        SoftmaxKernel.SumAlongAxis(g, _log ? ReadOnlySpan<T>.Empty : saved, sums, _layout);
        for (int o = 0; o < _layout.Outer; o++)
        {
            for (int k = 0; k < n; k++)
            {
                int start = (o * block) + (k * inner);
                for (int i = 0; i < inner; i++)
                {
                    int at = start + i;
                    T sum = sums[(o * inner) + i];
                    grad[at] += _log ? g[at] - (T.Exp(saved[at]) * sum) : saved[at] * (g[at] - sum);
                }
            }
        }

        BufferPool<T>.Return(sums);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        int[] view = [_layout.Outer, _layout.Length, _layout.Inner];
        Tensor<T> saved = Output.Reshape(view), g = gradOutput.Reshape(view);
        Tensor<T> grad = _log
            ? g.Sub(saved.Exp().Mul(g.Sum(1, keepDim: true)))
            : saved.Mul(g.Sub(g.Mul(saved).Sum(1, keepDim: true)));
        return [grad.Reshape(Inputs[0].Shape.ToArray())];
    }
}
