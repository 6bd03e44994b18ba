using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The square root, elementwise: <c>out[i] = sqrt(x[i])</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input; a negative value gives NaN, as in PyTorch.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.sqrt</c>. Backward reuses the saved output: <c>d sqrt(x)/dx = 1 / (2 sqrt(x))</c>, which is
    /// +infinity at <c>x = 0</c> exactly as in PyTorch.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Sqrt<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape); // the kernel writes all of it
        TensorPrimitives.Sqrt(x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SqrtBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>sqrt(x)</c>.</summary>
file sealed class SqrtBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public SqrtBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: true);
    }

    public override string OpName => "Sqrt";

    // d sqrt(x)/dx = 1 / (2 sqrt(x)), from the saved output y: grad += g / (2 y).
    public override void Backward()
    {
        ReadOnlySpan<T> y = Output.KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        T two = T.CreateTruncating(2);
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] += g[i] / (two * y[i]);
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Div(Output.Mul(T.CreateTruncating(2)))];
}
