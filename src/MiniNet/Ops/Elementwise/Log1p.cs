using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The natural logarithm of one plus the input, elementwise: <c>out[i] = ln(1 + x[i])</c>, accurate for tiny |x|.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input; <c>-1</c> gives -infinity and anything below it NaN, as IEEE 754 says.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape. Within 2 ulp (double) everywhere, so <c>Log1p(1e-20) = 1e-20</c> where <c>Log(1 + x)</c> gives 0.</returns>
    /// <remarks>PyTorch: <c>torch.log1p</c>. Backward: <c>d ln(1 + x)/dx = 1 / (1 + x)</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Log1p<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        if (typeof(T) == typeof(float))
        {
            Vectorized.Map(default(InDoubleLanes<Log1pForFloat>), MemoryMarshal.Cast<T, float>(x.KernelReadSpan), MemoryMarshal.Cast<T, float>(output.KernelWriteSpan));
        }
        else
        {
            Pointwise.Map<T, Log1pFunction<T>>(x.KernelReadSpan, output.KernelWriteSpan);
        }

        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new Log1pBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>ln(1 + x)</c>.</summary>
file sealed class Log1pBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public Log1pBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Log1p";

    // d ln(1 + x)/dx = 1 / (1 + x): grad += g / (1 + x).
    public override void Backward() =>
        Pointwise.AccumulateProduct<T, Log1pDerivative<T>>(GradOutput, Inputs[0].KernelReadSpan, GradFor(0));

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Div(Inputs[0].Add(T.One))];
}

/// <summary><c>ln(1 + x)</c>.</summary>
file readonly struct Log1pFunction<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x) => SpecialFunctions.Log1p(x);
}

/// <summary><c>1 / (1 + x)</c>.</summary>
file readonly struct Log1pDerivative<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.One / (T.One + x);
}
