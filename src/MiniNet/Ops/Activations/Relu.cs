using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The rectified linear unit, elementwise: <c>out[i] = max(x[i], 0)</c>; a NaN input stays NaN.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.relu</c> / <c>F.relu</c>. Backward: the gradient passes where the output is positive and is 0
    /// where <c>x &lt;= 0</c> (including exactly 0, the subgradient PyTorch picks).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Relu<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = new Tensor<T>(x.Shape);

        // TensorPrimitives.Max propagates NaN (IEEE 754-2019 maximum), as torch.relu does.
        TensorPrimitives.Max(x.AsReadOnlySpan(), T.Zero, output.Span);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ReluBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>max(x, 0)</c>.</summary>
file sealed class ReluBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public ReluBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: true);
    }

    public override string OpName => "Relu";

    // d max(x,0)/dx = 0 if x <= 0 else 1. Tested on the saved output y as PyTorch's threshold_backward does, so a NaN
    // input (y = NaN, not <= 0) passes the gradient on.
    public override void Backward()
    {
        ReadOnlySpan<T> y = Output.AsReadOnlySpan();
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            if (!(y[i] <= T.Zero))
            {
                grad[i] += g[i];
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [gradOutput.Mul(Derivatives.Constant(Output, static y => y <= T.Zero ? T.Zero : T.One))];
}
