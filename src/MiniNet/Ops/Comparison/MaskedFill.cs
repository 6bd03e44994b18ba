using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Replaces the elements under a mask by a constant: <c>out[i] = mask[i] != 0 ? value : x[i]</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="mask">The mask (nonzero, NaN included, means fill), broadcastable to <paramref name="x"/>'s shape. Never differentiated.</param>
    /// <param name="value">The fill value (not differentiated); may be infinite, e.g. <c>-infinity</c> before a softmax.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// PyTorch: <c>x.masked_fill(mask, value)</c>. Backward: the gradient passes where nothing was filled and is
    /// exactly 0 where the mask is set.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The mask does not broadcast to <paramref name="x"/>'s shape; the message names both shapes.</exception>
    public static Tensor<T> MaskedFill<T>(this Tensor<T> x, Tensor<T> mask, T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mask);
        if (!IsBroadcastableTo(mask.Shape, x.Shape))
        {
            throw new ArgumentException($"MaskedFill: the mask of shape {mask.Shape} cannot be broadcast to the input's shape {x.Shape}.", nameof(mask));
        }

        var output = Tensor<T>.Uninitialized(x.Shape);
        ReadOnlySpan<T> m = Elementwise.ExpandTo(mask, x.Shape), source = x.KernelReadSpan;
        Span<T> d = output.KernelWriteSpan;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = m[i] != T.Zero ? value : source[i];
        }

        GC.KeepAlive(mask); // kernel spans do not keep storage from the pool (see StoragePool)

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new MaskedFillBackward<T>(output, x, mask));
        }

        return output;
    }

    /// <summary>
    /// <see cref="MaskedFill{T}(Tensor{T}, Tensor{T}, T)"/> with the fill value given as a <see cref="double"/>, so a literal
    /// fits either element type (<c>scores.MaskedFill(mask, -1e9)</c> on a <c>Tensor&lt;float&gt;</c>); rounded to <typeparamref name="T"/>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="mask">The mask, broadcastable to <paramref name="x"/>'s shape. Never differentiated.</param>
    /// <param name="value">The fill value; a value beyond float's range becomes infinity for float.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>x.masked_fill(mask, value)</c> with a Python number.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The mask does not broadcast to <paramref name="x"/>'s shape; the message names both shapes.</exception>
    public static Tensor<T> MaskedFill<T>(this Tensor<T> x, Tensor<T> mask, double value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.MaskedFill(mask, T.CreateChecked(value));

    /// <summary>True when every dimension of <paramref name="from"/>, aligned from the right, is 1 or equals <paramref name="to"/>'s.</summary>
    private static bool IsBroadcastableTo(Shape from, Shape to)
    {
        if (from.Rank > to.Rank)
        {
            return false;
        }

        for (int i = 1; i <= from.Rank; i++)
        {
            int f = from.Dims[from.Rank - i];
            if (f != 1 && f != to.Dims[to.Rank - i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Backward of <c>masked_fill(x, mask, value)</c>.</summary>
file sealed class MaskedFillBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public MaskedFillBackward(Tensor<T> output, Tensor<T> x, Tensor<T> mask)
        : base(output, x, mask)
    {
        SaveForBackward(output: false, 1);
    }

    public override string OpName => "MaskedFill";

    // d/dx = 0 where filled, 1 elsewhere: grad += g where the mask is 0.
    public override void Backward()
    {
        ReadOnlySpan<T> m = Elementwise.ExpandTo(Inputs[1], Output.Shape), g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            if (m[i] == T.Zero)
            {
                grad[i] += g[i];
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.MaskedFill(Inputs[1], T.Zero), null];
}
