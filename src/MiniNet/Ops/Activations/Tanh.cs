using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The hyperbolic tangent, elementwise: <c>out[i] = tanh(x[i]) = (e^x - e^-x) / (e^x + e^-x)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape with values in <c>[-1, 1]</c>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.tanh</c>. Backward uses the saved output: <c>tanh'(x) = 1 - tanh(x)^2</c>, which saturates to 0
    /// for large |x| just as in PyTorch. The forward is within 2 ulp everywhere, including near 0 (docs/accuracy.md).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Tanh<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape); // the kernel writes all of it
        Hyperbolic.Tanh(x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new TanhBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>tanh(x)</c>.</summary>
file sealed class TanhBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public TanhBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: true);
    }

    public override string OpName => "Tanh";

    // d tanh(x)/dx = 1 - tanh(x)^2, from the saved output y: grad += g * (1 - y^2).
    public override void Backward()
    {
        ReadOnlySpan<T> y = Output.KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] += g[i] * (T.One - (y[i] * y[i]));
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [gradOutput.Mul(Output.Mul(Output).Neg().Add(T.One))];
}
