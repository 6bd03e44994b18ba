using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <content>Conversion between element types.</content>
public sealed partial class Tensor<T>
{
    /// <summary>
    /// The same values as another element type: <c>out[i] = (TOther)x[i]</c>, rounded to nearest (double to float
    /// overflows to ±inf beyond ~3.4e38 and flushes below ~1.4e-45, as a C# cast does). Converting to the same type
    /// returns this tensor itself.
    /// </summary>
    /// <typeparam name="TOther">float or double.</typeparam>
    /// <returns>A new tensor of the same shape, or this one when <typeparamref name="TOther"/> is <typeparamref name="T"/>.</returns>
    /// <remarks>
    /// PyTorch: <c>x.to(dtype)</c> (<c>x.float()</c>, <c>x.double()</c>). Differentiable with <see cref="Backward"/>: the gradient is
    /// converted back to <typeparamref name="T"/> and flows on into the graph that produced this tensor, so a float model can be
    /// checked in double or a loss computed in double. With <c>Autograd.Grad</c> and <c>createGraph: true</c> the gradient's
    /// conversion is itself recorded, so second derivatives cross the conversion too (as <c>torch.autograd.grad(..., create_graph=True)</c>).
    /// </remarks>
    public Tensor<TOther> To<TOther>()
        where TOther : unmanaged, IBinaryFloatingPointIeee754<TOther>
    {
        if (this is Tensor<TOther> same)
        {
            return same;
        }

        var output = Tensor<TOther>.Uninitialized(Shape);
        ConvertValues.Copy(KernelReadSpan, output.KernelWriteSpan);
        if (Tape.ShouldRecord(this))
        {
            Tape.Record(new ConvertBackward<T, TOther>(output, this));
        }

        return output;
    }
}

/// <summary>
/// Backward of a conversion. A tape entry sees tensors of one element type, so the source is not one of its inputs:
/// the node converts the gradient and hands it to the source itself (into its buffer in the fast walk, to the walk
/// in the tensor-valued one), and queues the source's creator.
/// </summary>
file sealed class ConvertBackward<TFrom, TTo> : TapeEntry<TTo>
    where TFrom : unmanaged, IBinaryFloatingPointIeee754<TFrom>
    where TTo : unmanaged, IBinaryFloatingPointIeee754<TTo>
{
    private readonly Tensor<TFrom> _source;

    public ConvertBackward(Tensor<TTo> output, Tensor<TFrom> source)
        : base(output)
    {
        _source = source;
        SaveForBackward(output: false);
    }

    public override string OpName => $"To<{typeof(TTo).Name}>";

    // out = (TTo)x, so dL/dx = (TFrom)dL/dout.
    public override void Backward()
    {
        if (_source.RequiresGrad)
        {
            Span<TFrom> grad = _source.GradBuffer();
            ReadOnlySpan<TTo> g = GradOutput;
            for (int i = 0; i < grad.Length; i++)
            {
                grad[i] += TFrom.CreateTruncating(g[i]);
            }
        }
    }

    // The same rule as a tensor: gradOutput.To<TFrom>() is itself a conversion, recorded under createGraph, so the
    // second derivative crosses back the other way (d/dg of (TFrom)g is the identity converted to TTo).
    public override void StepTensorWalk(TensorWalk walk)
    {
        if (walk.TryTakeOutputGradient(this, out Tensor<TTo>? gradOutput))
        {
            walk.DeliverInput(this, 0, _source, gradOutput.To<TFrom>());
        }
    }

    // Without this, a parameter used behind a conversion would not count as a use, and an op using it too could
    // apply the optimizer step to its own part of the gradient alone (Optimizer.StepInBackward).
    public override void NoteInBackwardUses(List<TapeEntry> stack, int stamp) => NoteInBackwardUse(_source, stack, stamp);

    public override void EnqueueInputNodes(PriorityQueue<TapeEntry, long> queue, int stamp)
    {
        if (_source.Creator is { } node && node.WalkStamp != stamp)
        {
            node.WalkStamp = stamp;
            queue.Enqueue(node, -node.Sequence);
        }
    }

    public override string DescribeInputs() => $"{_source.Shape} ({typeof(TFrom).Name})";
}

/// <summary>Elementwise conversion between float and double.</summary>
file static class ConvertValues
{
    public static void Copy<TFrom, TTo>(ReadOnlySpan<TFrom> x, Span<TTo> y)
        where TFrom : unmanaged, IBinaryFloatingPointIeee754<TFrom>
        where TTo : unmanaged, IBinaryFloatingPointIeee754<TTo>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = TTo.CreateTruncating(x[i]);
        }
    }
}
