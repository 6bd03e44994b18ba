using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Negates every element: <c>out[i] = -x[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.neg</c> / <c>-x</c>.</remarks>
    public static Tensor<T> Neg<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape); // the kernel writes all of it
        TensorPrimitives.Negate(x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new NegBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>-x</c>.</summary>
file sealed class NegBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public NegBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "Neg";

    // d(-x)/dx = -1: grad -= gradOutput.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        InPlace.Axpy(grad, -T.One, GradOutput);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Neg()];
}
