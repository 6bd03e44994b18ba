using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The sigmoid-weighted linear unit (swish), elementwise: <c>out[i] = x[i] * sigma(x[i])</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>F.silu</c>. The sigmoid is the stable one of <see cref="Sigmoid{T}"/> (no positive exponent), so large
    /// |x| give x and -0 rather than NaN. Backward recomputes s = sigma(x): <c>d/dx = s (1 + x (1 - s))</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Silu<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        Vectorized.Map(default(SiluOperator<T>), x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans do not keep x's storage from the pool (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SiluBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>x sigma(x)</c>.</summary>
file sealed class SiluBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public SiluBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Silu";

    // d(x s)/dx = s + x s (1 - s) = s (1 + x (1 - s)), s = sigma(x).
    public override void Backward()
    {
        Span<T> grad = GradFor(0, out bool accumulate);
        Pointwise.Gradient(default(SiluGradOperator<T>), Inputs[0].KernelReadSpan, GradOutput, grad, accumulate); // the node keeps x reachable
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> x = Inputs[0];
        Tensor<T> s = x.Sigmoid();
        return [gradOutput.Mul(s.Mul(x.Mul(s.Neg().Add(T.One)).Add(T.One)))];
    }
}
