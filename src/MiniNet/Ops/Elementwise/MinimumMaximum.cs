using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The elementwise maximum of two tensors, with broadcasting: <c>out[i] = max(a[i], b[i])</c>; NaN in either gives NaN.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.maximum(a, b)</c>. Backward as PyTorch: the gradient goes to the larger operand; on a tie
    /// (<c>a == b</c>) each gets half; where a NaN is involved, both get all of it.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Maximum<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Pointwise.Binary<T, MaximumFunction<T>>(a, b, nameof(Maximum));
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new ExtremumBackward<T>(output, a, b, maximum: true));
        }

        return output;
    }

    /// <summary>The elementwise minimum of two tensors, with broadcasting: <c>out[i] = min(a[i], b[i])</c>; NaN in either gives NaN.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.minimum(a, b)</c>. Backward as PyTorch: the gradient goes to the smaller operand; on a tie
    /// each gets half; where a NaN is involved, both get all of it.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static Tensor<T> Minimum<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output = Pointwise.Binary<T, MinimumFunction<T>>(a, b, nameof(Minimum));
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new ExtremumBackward<T>(output, a, b, maximum: false));
        }

        return output;
    }
}

/// <summary>Backward of <c>maximum(a, b)</c> and <c>minimum(a, b)</c>.</summary>
file sealed class ExtremumBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly bool _maximum;

    public ExtremumBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b, bool maximum)
        : base(output, a, b)
    {
        _maximum = maximum;
        SaveForBackward(output: false, 0, 1);
    }

    public override string OpName => _maximum ? "Maximum" : "Minimum";

    // d max(a, b)/da = 1 where a wins, 1/2 on a tie, 0 where b wins (PyTorch: where(a == b, g/2, g).masked_fill_(a < b, 0)).
    public override void Backward()
    {
        Shape shape = Output.Shape;
        T[] scratch = BufferPool<T>.Rent(Output.Count);
        Span<T> term = scratch.AsSpan(0, Output.Count);
        for (int i = 0; i < 2; i++)
        {
            if (NeedsGrad(i))
            {
                Share(i, term);
                System.Numerics.Tensors.TensorPrimitives.Multiply(term, GradOutput, term);
                Broadcast.AccumulateSumTo<T>(term, shape, GradFor(i), Inputs[i].Shape);
            }
        }

        BufferPool<T>.Return(scratch);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        var grads = new Tensor<T>?[2];
        for (int i = 0; i < 2; i++)
        {
            if (NeedsGrad(i))
            {
                var share = Tensor<T>.Uninitialized(Output.Shape);
                Share(i, share.KernelWriteSpan);
                grads[i] = Derivatives.SumTo(gradOutput.Mul(share), Inputs[i].Shape);
            }
        }

        return grads;
    }

    // The share of input i in each output element: 1, 1/2 or 0 (1 for both where a NaN makes every comparison false).
    private void Share(int i, Span<T> share)
    {
        ReadOnlySpan<T> mine = Elementwise.ExpandTo(Inputs[i], Output.Shape), other = Elementwise.ExpandTo(Inputs[1 - i], Output.Shape);
        T half = T.CreateTruncating(0.5);
        for (int k = 0; k < share.Length; k++)
        {
            bool loses = _maximum ? mine[k] < other[k] : mine[k] > other[k];
            share[k] = mine[k] == other[k] ? half : loses ? T.Zero : T.One;
        }
    }
}

/// <summary><c>max(x, y)</c>, NaN-propagating.</summary>
file readonly struct MaximumFunction<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Max(x, y);
}

/// <summary><c>min(x, y)</c>, NaN-propagating.</summary>
file readonly struct MinimumFunction<T> : IScalarFunction2<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Min(x, y);
}
