using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Subtracts every element from a constant: <c>out[i] = c - x[i]</c>, one op.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The tensor.</param>
    /// <param name="c">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.rsub(x, c)</c> / <c>c - x</c> with a Python number. Backward: <c>-g</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Rsub<T>(this Tensor<T> x, T c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        TensorPrimitives.Subtract(c, x.KernelReadSpan, output.KernelWriteSpan);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new RsubBackward<T>(output, x));
        }

        return output;
    }

    // With a double constant, so a literal fits either element type (x.Rsub(1.0) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Subtracts every element from a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>): <c>out[i] = c - x[i]</c>, one op.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The tensor.</param>
    /// <param name="c">The constant (not differentiated).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.rsub(x, c)</c> / <c>c - x</c> with a Python number.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Rsub<T>(this Tensor<T> x, double c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.Rsub(T.CreateChecked(c));
}

/// <summary>Backward of <c>c - x</c>.</summary>
file sealed class RsubBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public RsubBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "Rsub";

    // d(c - x)/dx = -1: grad -= g.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        InPlace.Axpy(grad, -T.One, GradOutput);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Neg()];
}
