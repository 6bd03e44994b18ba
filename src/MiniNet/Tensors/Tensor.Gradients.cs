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
        Span<T> buffer = GradBuffer(out bool accumulate);
        if (!accumulate)
        {
            buffer.Clear();
        }

        return buffer;
    }

    /// <summary>
    /// The gradient buffer, and whether it already holds a gradient to add to (<paramref name="accumulate"/> true)
    /// or holds stale values the caller must overwrite completely (false). Rules that can write rather than add
    /// (a GEMM with accumulate off) use this to skip clearing and re-reading the buffer.
    /// </summary>
    internal Span<T> GradBuffer(out bool accumulate)
    {
        if (IsLeaf && _hooks is not { Count: > 0 })
        {
            return GradBufferOfLeaf(out accumulate);
        }

        if (IsLeaf && TransientGrad is null)
        {
            // A hooked leaf collects this walk's gradient apart; the walk runs the hooks on it at the end.
            Tape.Current.NoteHookedLeaf(this);
        }

        accumulate = TransientGrad is not null;
        TransientGrad ??= BufferPool<T>.Rent(Count);
        return TransientGrad.AsSpan(0, Count);
    }

    /// <summary>The leaf's <see cref="Grad"/> buffer, allocated on first use; <paramref name="accumulate"/> false when it holds stale values.</summary>
    private Span<T> GradBufferOfLeaf(out bool accumulate)
    {
        {
            accumulate = _grad is not null && !_gradReleased;
            if (_grad is null)
            {
                _grad = new Tensor<T>(Shape);
            }

            _gradReleased = false;
            return _grad.Span;
        }
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
        TransientGrad is not null ? TransientGrad.AsSpan(0, Count) : IsLeaf && Grad is not null ? Grad.AsReadOnlySpan() : default;
}
