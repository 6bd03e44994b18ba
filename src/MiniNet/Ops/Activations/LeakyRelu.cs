using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The leaky rectified linear unit, elementwise: <c>out[i] = x[i] &gt; 0 ? x[i] : negativeSlope * x[i]</c>; NaN stays NaN.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="negativeSlope">The slope for <c>x &lt;= 0</c> (PyTorch's default 0.01).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>F.leaky_relu(x, negative_slope)</c>. Backward: <c>g</c> where <c>x &gt; 0</c>, <c>negativeSlope * g</c>
    /// elsewhere, including at exactly 0 (as PyTorch).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="negativeSlope"/> is NaN or infinite.</exception>
    public static Tensor<T> LeakyRelu<T>(this Tensor<T> x, double negativeSlope = 0.01)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentException($"LeakyRelu: negativeSlope must be finite, got {negativeSlope} (input shape {x.Shape}).", nameof(negativeSlope));
        }

        T slope = T.CreateTruncating(negativeSlope);
        var output = Tensor<T>.Uninitialized(x.Shape);
        Vectorized.Map(new LeakyReluOperator<T>(slope), x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans do not keep x's storage from the pool (see StoragePool)

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new LeakyReluBackward<T>(output, x, slope));
        }

        return output;
    }
}

/// <summary>Backward of <c>leaky_relu(x)</c>.</summary>
file sealed class LeakyReluBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _slope;

    public LeakyReluBackward(Tensor<T> output, Tensor<T> x, T slope)
        : base(output, x)
    {
        _slope = slope;
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "LeakyRelu";

    // d/dx = 1 for x > 0, else the slope: grad += g or g * slope.
    public override void Backward()
    {
        Span<T> grad = GradFor(0, out bool accumulate);
        Pointwise.Gradient(new LeakyReluOperator<T>(_slope), Inputs[0].KernelReadSpan, GradOutput, grad, accumulate);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        T slope = _slope;
        return [gradOutput.Mul(Derivatives.Constant(Inputs[0], v => v > T.Zero ? T.One : slope))];
    }
}
