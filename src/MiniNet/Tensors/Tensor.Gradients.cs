using System;

namespace MiniNet;

/// <content>Gradient buffers: the public <see cref="Tensor{T}.Grad"/> of leaves and the pooled transient gradients of intermediates.</content>
public sealed partial class Tensor<T>
{
    /// <summary>
    /// The gradient of an intermediate (non-leaf) tensor during a backward walk: pooled, never visible to users,
    /// returned as soon as the op that produced the tensor has consumed it.
    /// </summary>
    internal T[]? TransientGrad { get; set; }

    /// <summary>
    /// The buffer backward rules accumulate this tensor's gradient into, allocated zeroed on first use: the
    /// public <see cref="Grad"/> for leaves (kept across steps; <see cref="ZeroGrad"/> clears it in place), a pooled
    /// transient buffer for intermediates.
    /// </summary>
    internal Span<T> GradBuffer()
    {
        if (IsLeaf)
        {
            Grad ??= new Tensor<T>(Shape);
            return Grad.Span;
        }

        TransientGrad ??= BufferPool<T>.RentCleared(Count);
        return TransientGrad.AsSpan(0, Count);
    }

    /// <summary>Returns the transient gradient to the pool.</summary>
    internal void ReleaseTransientGrad()
    {
        if (TransientGrad is { } buffer)
        {
            TransientGrad = null;
            BufferPool<T>.Return(buffer);
        }
    }

    /// <summary>The gradient accumulated so far in this backward walk, or an empty span.</summary>
    internal ReadOnlySpan<T> CurrentGradient() =>
        IsLeaf ? (Grad is null ? default : Grad.AsReadOnlySpan()) : (TransientGrad is null ? default : TransientGrad.AsSpan(0, Count));
}
