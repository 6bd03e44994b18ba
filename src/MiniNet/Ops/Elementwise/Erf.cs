using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The Gauss error function, elementwise: <c>out[i] = erf(x[i]) = 2/sqrt(pi) int_0^x e^(-t^2) dt</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape with values in <c>[-1, 1]</c>; NaN stays NaN.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.erf</c>. Computed in double by MiniNet's own series and continued fraction (measured error and
    /// method: Kernels/SpecialFunctions.cs), float rounding that once. Backward: <c>d erf(x)/dx = 2/sqrt(pi) e^(-x^2)</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Erf<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        if (typeof(T) == typeof(float))
        {
            Vectorized.Map(default(InDoubleLanes<ErfForFloat>), MemoryMarshal.Cast<T, float>(x.KernelReadSpan), MemoryMarshal.Cast<T, float>(output.KernelWriteSpan));
        }
        else
        {
            Pointwise.Map<T, ErfFunction<T>>(x.KernelReadSpan, output.KernelWriteSpan);
        }

        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ErfBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>erf(x)</c>.</summary>
file sealed class ErfBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public ErfBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Erf";

    // d erf(x)/dx = 2/sqrt(pi) e^(-x^2): grad += g * 2/sqrt(pi) e^(-x^2).
    public override void Backward() =>
        Pointwise.AccumulateProduct<T, ErfDerivative<T>>(GradOutput, Inputs[0].KernelReadSpan, GradFor(0));

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> x = Inputs[0];
        return [gradOutput.Mul(x.Mul(x).Neg().Exp().Mul(T.CreateTruncating(ErfDerivative<T>.TwoOverSqrtPi)))];
    }
}

/// <summary><c>erf(x)</c>.</summary>
file readonly struct ErfFunction<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x) => SpecialFunctions.Erf(x);
}

/// <summary><c>2/sqrt(pi) e^(-x^2)</c>.</summary>
file readonly struct ErfDerivative<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const double TwoOverSqrtPi = 1.1283791670955126;

    public static T Invoke(T x) => T.CreateTruncating(TwoOverSqrtPi * Math.Exp(-double.CreateTruncating(x * x)));
}
