using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The absolute value, elementwise: <c>out[i] = |x[i]|</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.abs</c>. Backward: <c>d|x|/dx = sign(x)</c>, taken as 0 at <c>x = 0</c> (the subgradient
    /// PyTorch picks); like PyTorch's <c>sgn</c>, also 0 for a NaN input (the NaN is in the output already).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Abs<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape); // the kernel writes all of it
        TensorPrimitives.Abs(x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new AbsBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>|x|</c>.</summary>
file sealed class AbsBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public AbsBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Abs";

    // d|x|/dx = sign(x) in {-1, 0, +1} (0 at x = 0 and, as PyTorch's sgn, at NaN): grad += g * sign(x).
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] += g[i] * Sign(x[i]);
        }
    }

    // sign(x) is piecewise constant: its derivative is 0 (almost everywhere), so it enters as a constant.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [gradOutput.Mul(Derivatives.Constant(Inputs[0], Sign))];

    private static T Sign(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}
