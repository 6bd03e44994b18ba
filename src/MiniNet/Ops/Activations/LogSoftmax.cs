using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
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
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var layout = AxisLayout.Of(x.Shape, axis, nameof(LogSoftmax));
        var output = new Tensor<T>(x.Shape);
        SoftmaxKernel.Forward(x.AsReadOnlySpan(), output.Span, layout, log: true);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new LogSoftmaxBackward<T>(output, x, layout));
        }

        return output;
    }
}

/// <summary>Backward of log-softmax along one axis.</summary>
file sealed class LogSoftmaxBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly AxisLayout _layout;

    public LogSoftmaxBackward(Tensor<T> output, Tensor<T> x, AxisLayout layout)
        : base(output, x)
    {
        _layout = layout;
        SaveForBackward(output: true);
    }

    public override string OpName => "LogSoftmax";

    // d(x_k - lse)/dx_j = delta_kj - s_j, so grad_j = g_j - s_j sum_k g_k, with s = exp(saved output) and the sum
    // taken along the axis.
    public override void Backward()
    {
        ReadOnlySpan<T> logS = Output.AsReadOnlySpan();
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        int n = _layout.Length, inner = _layout.Inner, block = _layout.Block;
        T[] sums = BufferPool<T>.RentCleared(_layout.Outer * inner);
        SoftmaxKernel.SumAlongAxis(g, ReadOnlySpan<T>.Empty, sums, _layout);
        for (int o = 0; o < _layout.Outer; o++)
        {
            for (int k = 0; k < n; k++)
            {
                int start = (o * block) + (k * inner);
                for (int i = 0; i < inner; i++)
                {
                    int at = start + i;
                    grad[at] += g[at] - (T.Exp(logS[at]) * sums[(o * inner) + i]);
                }
            }
        }

        BufferPool<T>.Return(sums);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        int[] view = [_layout.Outer, _layout.Length, _layout.Inner];
        Tensor<T> s = Output.Reshape(view).Exp(), g = gradOutput.Reshape(view);
        return [g.Sub(s.Mul(g.Sum(1, keepDim: true))).Reshape(Inputs[0].Shape.ToArray())];
    }
}
