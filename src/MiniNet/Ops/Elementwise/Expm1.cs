using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The natural exponential minus one, elementwise: <c>out[i] = e^x[i] - 1</c>, accurate for tiny |x|.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>
    /// A tensor of <paramref name="x"/>'s shape. Within 2 ulp (double) everywhere, so <c>Expm1(1e-20) = 1e-20</c> where
    /// <c>Exp(x) - 1</c> gives 0; -infinity gives -1, large inputs overflow to +infinity as in <see cref="Exp{T}"/>.
    /// </returns>
    /// <remarks>PyTorch: <c>torch.expm1</c>. Backward reuses the saved output: <c>d(e^x - 1)/dx = e^x = out + 1</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Expm1<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape);
        if (typeof(T) == typeof(float))
        {
            Vectorized.Map(default(InDoubleLanes<Expm1ForFloat>), MemoryMarshal.Cast<T, float>(x.KernelReadSpan), MemoryMarshal.Cast<T, float>(output.KernelWriteSpan));
        }
        else
        {
            Pointwise.Map<T, Expm1Function<T>>(x.KernelReadSpan, output.KernelWriteSpan);
        }

        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new Expm1Backward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>e^x - 1</c>.</summary>
file sealed class Expm1Backward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public Expm1Backward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: true);
    }

    public override string OpName => "Expm1";

    // d(e^x - 1)/dx = e^x = y + 1, from the saved output y (as PyTorch): grad += g * (y + 1).
    public override void Backward() =>
        Pointwise.AccumulateProduct<T, PlusOne<T>>(GradOutput, Output.KernelReadSpan, GradFor(0));

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Mul(Output.Add(T.One))];
}

/// <summary><c>e^x - 1</c>.</summary>
file readonly struct Expm1Function<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x) => SpecialFunctions.Expm1(x);
}

/// <summary><c>y + 1</c>.</summary>
file readonly struct PlusOne<T> : IScalarFunction<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T y) => y + T.One;
}
