using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Picks elementwise from two tensors by a mask, with broadcasting of all three:
    /// <c>out[i] = condition[i] != 0 ? a[i] : b[i]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="condition">The mask: an element selects <paramref name="a"/> where it is nonzero (NaN counts as nonzero), <paramref name="b"/> where it is 0. Never differentiated.</param>
    /// <param name="a">The values where the condition holds.</param>
    /// <param name="b">The values elsewhere.</param>
    /// <returns>A tensor of the broadcast shape of the three.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.where(condition, a, b)</c>, whose condition is a bool tensor; MiniNet's are the 0/1 masks of
    /// <see cref="Eq{T}(Tensor{T}, Tensor{T})"/> and its siblings. Backward: <paramref name="a"/> gets the gradient
    /// where the condition holds and <paramref name="b"/> elsewhere (selected, not multiplied, so an infinite or NaN
    /// value in the branch not taken never leaks into a gradient), each summed back over broadcast axes.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together; the message names them.</exception>
    public static Tensor<T> Where<T>(Tensor<T> condition, Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shape shape = Broadcast.Shapes(Broadcast.Shapes(condition.Shape, a.Shape, nameof(Where)), b.Shape, nameof(Where));
        var output = Tensor<T>.Uninitialized(shape);
        ReadOnlySpan<T> c = Elementwise.ExpandTo(condition, shape), x = Elementwise.ExpandTo(a, shape), y = Elementwise.ExpandTo(b, shape);
        Span<T> d = output.KernelWriteSpan;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = c[i] != T.Zero ? x[i] : y[i];
        }

        GC.KeepAlive(condition); // kernel spans do not keep storage from the pool (see StoragePool)

        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new WhereBackward<T>(output, condition, a, b));
        }

        return output;
    }

    /// <summary>
    /// <see cref="Where{T}(Tensor{T}, Tensor{T}, Tensor{T})"/> with a constant where the condition fails:
    /// <c>out[i] = condition[i] != 0 ? a[i] : b</c>; the constant, rounded to <typeparamref name="T"/>, fits either element type.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="condition">The mask (nonzero selects <paramref name="a"/>). Never differentiated.</param>
    /// <param name="a">The values where the condition holds; gets the gradient there.</param>
    /// <param name="b">The constant elsewhere.</param>
    /// <returns>A tensor of the broadcast shape of <paramref name="condition"/> and <paramref name="a"/>.</returns>
    /// <remarks>PyTorch: <c>torch.where(condition, a, b)</c> with a Python number <c>b</c>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together; the message names them.</exception>
    public static Tensor<T> Where<T>(Tensor<T> condition, Tensor<T> a, double b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Where(condition, a, Tensor.Scalar(T.CreateChecked(b)));

    /// <summary>
    /// <see cref="Where{T}(Tensor{T}, Tensor{T}, Tensor{T})"/> with a constant where the condition holds:
    /// <c>out[i] = condition[i] != 0 ? a : b[i]</c>; the constant, rounded to <typeparamref name="T"/>, fits either element type.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="condition">The mask (nonzero selects <paramref name="a"/>). Never differentiated.</param>
    /// <param name="a">The constant where the condition holds.</param>
    /// <param name="b">The values elsewhere; gets the gradient there.</param>
    /// <returns>A tensor of the broadcast shape of <paramref name="condition"/> and <paramref name="b"/>.</returns>
    /// <remarks>PyTorch: <c>torch.where(condition, a, b)</c> with a Python number <c>a</c>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together; the message names them.</exception>
    public static Tensor<T> Where<T>(Tensor<T> condition, double a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Where(condition, Tensor.Scalar(T.CreateChecked(a)), b);
}

/// <summary>Backward of <c>where(condition, a, b)</c>.</summary>
file sealed class WhereBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public WhereBackward(Tensor<T> output, Tensor<T> condition, Tensor<T> a, Tensor<T> b)
        : base(output, condition, a, b)
    {
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Where";

    // d/da = 1 where the condition holds, d/db = 1 elsewhere; the condition itself gets no gradient.
    public override void Backward()
    {
        Shape shape = Output.Shape;
        ReadOnlySpan<T> c = Elementwise.ExpandTo(Inputs[0], shape), g = GradOutput;
        T[] scratch = BufferPool<T>.Rent(Output.Count);
        Span<T> term = scratch.AsSpan(0, Output.Count);
        for (int input = 1; input <= 2; input++)
        {
            if (NeedsGrad(input))
            {
                bool takesTrue = input == 1;
                for (int i = 0; i < term.Length; i++)
                {
                    term[i] = (c[i] != T.Zero) == takesTrue ? g[i] : T.Zero;
                }

                Broadcast.AccumulateSumTo<T>(term, shape, GradFor(input), Inputs[input].Shape);
            }
        }

        BufferPool<T>.Return(scratch);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> condition = Inputs[0];
        return
        [
            null,
            NeedsGrad(1) ? Derivatives.SumTo(gradOutput.MaskedFill(condition.Eq(T.Zero), T.Zero), Inputs[1].Shape) : null,
            NeedsGrad(2) ? Derivatives.SumTo(gradOutput.MaskedFill(condition.Ne(T.Zero), T.Zero), Inputs[2].Shape) : null,
        ];
    }
}
