using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The logistic function, elementwise: <c>out[i] = 1 / (1 + exp(-x[i]))</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input (logits).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape with values in <c>[0, 1]</c>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.sigmoid</c>. Backward uses the saved output: <c>sigma'(z) = sigma(z)(1 - sigma(z))</c>, which
    /// underflows to 0 for |z| beyond ~17 in float. To train with cross-entropy, feed logits to
    /// <see cref="BinaryCrossEntropyWithLogits{T}"/> instead of chaining Sigmoid and BinaryCrossEntropy.
    /// </remarks>
    public static Tensor<T> Sigmoid<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        Logistic.Sigmoid(x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // the kernel spans do not keep x's storage from the pool (see StoragePool)

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SigmoidBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>sigma(x)</c>.</summary>
file sealed class SigmoidBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public SigmoidBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: true);
    }

    public override string OpName => "Sigmoid";

    public override bool CanReplayForward => true;

    public override void ReplayForward() => Logistic.Sigmoid(Inputs[0].KernelReadSpan, Output.KernelWriteSpan);

    // d sigma(z)/dz = sigma(z) (1 - sigma(z)), from the saved output s: grad += g * s * (1 - s).
    public override void Backward()
    {
        Logistic.SigmoidBackward(Output.KernelReadSpan, GradOutput, GradFor(0));
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [gradOutput.Mul(Output.Mul(Output.Neg().Add(T.One)))];
}
