using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Divides a constant by every element: <c>out[i] = c / x[i]</c>, one op.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The divisors; a zero gives infinity (or NaN for <c>c = 0</c>), as IEEE 754 says.</param>
    /// <param name="c">The constant dividend (not differentiated).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>c / x</c> with a Python number (<c>Tensor.__rtruediv__</c>, <c>c * torch.reciprocal(x)</c>).
    /// Backward: <c>d(c/x)/dx = -c / x^2</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Rdiv<T>(this Tensor<T> x, T c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        TensorPrimitives.Divide(c, x.KernelReadSpan, output.KernelWriteSpan);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new RdivBackward<T>(output, x, c));
        }

        return output;
    }

    // With a double constant, so a literal fits either element type (x.Rdiv(1.0) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Divides a constant given as a <see cref="double"/> (rounded to <typeparamref name="T"/>) by every element: <c>out[i] = c / x[i]</c>, one op.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The divisors.</param>
    /// <param name="c">The constant dividend (not differentiated).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>c / x</c> with a Python number (<c>Tensor.__rtruediv__</c>).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Rdiv<T>(this Tensor<T> x, double c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.Rdiv(T.CreateChecked(c));
}

/// <summary>Backward of <c>c / x</c>.</summary>
file sealed class RdivBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _c;

    public RdivBackward(Tensor<T> output, Tensor<T> x, T c)
        : base(output, x)
    {
        _c = c;
        SaveForBackward(output: true, 0);
    }

    public override string OpName => "Rdiv";

    // d(c/x)/dx = -c/x^2 = -(c/x)/x, from the saved output y: grad -= g y / x.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan, y = Output.KernelReadSpan, g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] -= g[i] * y[i] / x[i];
        }
    }

    // From the input rather than the output, so that the rule's own derivative is plain: -g c / x^2.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [gradOutput.Mul(-_c).Div(Inputs[0].Mul(Inputs[0]))];
}
