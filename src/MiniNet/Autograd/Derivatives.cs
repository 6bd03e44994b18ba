using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Building blocks for differentiable backward rules (<c>DifferentiableBackward</c>), written with MiniNet's own ops
/// so that they are recorded when the backward pass is: broadcasting in reverse, and constant masks.
/// </summary>
internal static class Derivatives
{
    /// <summary>Sums <paramref name="g"/> over the axes it was broadcast along, back to <paramref name="target"/> (PyTorch: <c>sum_to_size</c>).</summary>
    public static Tensor<T> SumTo<T>(Tensor<T> g, Shape target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (g.Shape == target)
        {
            return g;
        }

        Tensor<T> result = g;
        while (result.Rank > target.Rank)
        {
            result = result.Sum(0);
        }

        for (int axis = 0; axis < target.Rank; axis++)
        {
            if (target[axis] == 1 && result.Shape[axis] != 1)
            {
                result = result.Sum(axis, keepDim: true);
            }
        }

        return result.Shape == target ? result : result.Reshape(target.ToArray());
    }

    /// <summary>Broadcasts <paramref name="g"/> to <paramref name="target"/> (PyTorch: <c>expand</c>), differentiably.</summary>
    public static Tensor<T> ExpandTo<T>(Tensor<T> g, Shape target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        g.Shape == target ? g : g.Add(Tensor.Zeros<T>(target.ToArray()));

    /// <summary>
    /// A constant (never differentiated) tensor of <paramref name="x"/>'s shape, <c>f(x[i])</c> per element: signs,
    /// masks and other piecewise-constant factors of a derivative.
    /// </summary>
    public static Tensor<T> Constant<T>(Tensor<T> x, Func<T, T> f)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new Tensor<T>(x.Shape);
        ReadOnlySpan<T> source = x.KernelReadSpan;
        Span<T> destination = result.KernelWriteSpan;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = f(source[i]);
        }

        GC.KeepAlive(x); // kernel spans do not keep storage from the pool (see StoragePool)

        return result;
    }

    /// <summary>The upstream gradient of each element of a reduced loss: <paramref name="g"/> itself without reduction, else <c>g * scale</c> (a scalar that broadcasts).</summary>
    public static Tensor<T> LossUpstream<T>(Tensor<T> g, Reduction reduction, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        reduction == Reduction.None ? g : g.Mul(scale);

    /// <summary>
    /// The differentiable backward of a fused op by recomputation: <paramref name="primitive"/> rebuilds the op's output
    /// from <paramref name="inputs"/> with primitive (differentiable) ops, and its gradient, weighted by
    /// <paramref name="gradOutput"/>, is taken with createGraph, so the result is differentiable again.
    /// </summary>
    public static Tensor<T>?[] ByRecomputation<T>(ReadOnlySpan<Tensor<T>> inputs, Tensor<T> gradOutput, Func<Tensor<T>[], Tensor<T>> primitive)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T>[] all = inputs.ToArray();
        Tensor<T>[] targets = Array.FindAll(all, t => t.RequiresGrad);
        Tensor<T> recomputed = primitive(all);
        Tensor<T>?[] grads = TensorWalk.Run([recomputed], [gradOutput], targets, accumulateIntoLeaves: false, retainGraph: true, createGraph: true, stopAtTargets: true);
        var result = new Tensor<T>?[all.Length];
        for (int i = 0, k = 0; i < all.Length; i++)
        {
            result[i] = all[i].RequiresGrad ? grads[k++] : null;
        }

        return result;
    }

    /// <summary>A one-element list of gradients, or null when the input needs none.</summary>
    public static Tensor<T>?[] One<T>(bool needed, Func<Tensor<T>> gradient)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => [needed ? gradient() : null];
}
