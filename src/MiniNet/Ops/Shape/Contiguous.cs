using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The tensor itself when it is already contiguous (<see cref="Tensor{T}.IsContiguous"/>), otherwise a row-major copy
    /// of a view (a transpose, an expand) with its own storage: <c>out[i] = x[i]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns><paramref name="x"/> or a contiguous copy.</returns>
    /// <remarks>PyTorch: <c>x.contiguous()</c>. The copy is recorded; its backward is the identity (the gradient has the view's shape).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> Contiguous<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.IsContiguous)
        {
            return x;
        }

        var output = Tensor<T>.Uninitialized(x.Shape);
        Strided.Gather(x.KernelArray, x.Offset, x.Shape.Dims, x.Strides, output.KernelWriteSpan);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ContiguousBackward<T>(output, x));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Ops.Contiguous{T}"/>.</summary>
file sealed class ContiguousBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public ContiguousBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "Contiguous";

    // out[i] = x[i] element for element (both row-major in the same shape): grad += g.
    public override void Backward() => InPlace.Add(GradFor(0), GradOutput);

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput];
}
