using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The natural logarithm, elementwise: <c>out[i] = ln x[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input; <c>ln 0 = -infinity</c> and a negative value gives NaN, as in PyTorch (not clamped, not hidden).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.log</c>. Backward: <c>d ln x/dx = 1 / x</c> (infinite at 0).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Log<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape); // the kernel writes all of it
        Vectorized.Map(default(LogKernel<T>), x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new LogBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>ln x</c>.</summary>
file sealed class LogBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public LogBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Log";

    // d ln x/dx = 1/x: grad += g / x.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] += g[i] / x[i];
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Div(Inputs[0])];
}

/// <summary>
/// <c>ln x</c> per lane: <see cref="VectorMath"/>'s own kernel for float and double (docs/accuracy.md), inlined into
/// <see cref="Vectorized"/>'s driver; not TensorPrimitives, for the reason given on the Exp op's kernel (Exp.cs).
/// </summary>
file readonly struct LogKernel<T> : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Log(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => VectorMath.Log(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => VectorMath.Log(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => VectorMath.Log(x);
}
