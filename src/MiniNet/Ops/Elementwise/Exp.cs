using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The natural exponential, elementwise: <c>out[i] = e^x[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape. Overflows to +infinity above ~88.7 (float) or ~709.8 (double), as PyTorch does.</returns>
    /// <remarks>PyTorch: <c>torch.exp</c>. Backward reuses the saved output: <c>d e^x/dx = e^x</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Exp<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Tensor<T>.Uninitialized(x.Shape); // the kernel writes all of it
        Vectorized.Map(default(ExpKernel<T>), x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans leave x and the output poolable (see StoragePool)
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ExpBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <c>e^x</c>.</summary>
file sealed class ExpBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public ExpBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: true);
    }

    public override string OpName => "Exp";

    // d e^x/dx = e^x, read from the saved output y: grad += g * y.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        TensorPrimitives.MultiplyAdd(GradOutput, Output.KernelReadSpan, grad, grad);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Mul(Output)];
}

/// <summary>
/// <c>e^x</c> per lane: <see cref="VectorMath"/>'s own kernel for float and double (docs/accuracy.md), inlined into
/// <see cref="Vectorized"/>'s driver. Not TensorPrimitives (.NET 10), which calls CoreLib's vector exp out of line
/// with each vector passed through the 16-byte-aligned stack: where such a slot straddles a cache line (per process, from
/// the stack's alignment) store-to-load forwarding fails and the op ran 2.7x slower (tests/MiniNet.Benchmarks/README.md).
/// </summary>
file readonly struct ExpKernel<T> : IUnaryKernel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => VectorMath.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => VectorMath.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => VectorMath.Exp(x);
}
