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

    // True while TransientGrad is a Backward(gradOutput) caller's array lent as the seed (TryBorrowSeed): read only, never pooled.
    private bool _transientGradBorrowed;

    // True once this tensor was some leaf's Grad: a backward walk may write into it, so it is never lent as a seed.
    private bool _isGradient;

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

        if (_transientGradBorrowed)
        {
            // Written to: the lent seed is swapped for a pooled copy first, so the caller's tensor is never changed.
            T[] copy = BufferPool<T>.Rent(Count);
            TransientGrad.AsSpan(0, Count).CopyTo(copy);
            (TransientGrad, _transientGradBorrowed) = (copy, false);
        }

        accumulate = TransientGrad is not null;
        TransientGrad ??= BufferPool<T>.Rent(Count);
        return TransientGrad.AsSpan(0, Count);
    }

    /// <summary>The leaf's <see cref="Grad"/> buffer, allocated on first use; <paramref name="accumulate"/> false when it holds stale values.</summary>
    /// <remarks>
    /// The buffer is written through a kernel span, which leaves a large one tracked by <see cref="StoragePool{T}"/>: a
    /// gradient the user drops unread (<c>Grad = null</c> between steps) goes back to the pool like an undisposed op
    /// output. The leaf is reachable from the backward node writing into it, and reading <see cref="Grad"/> through a
    /// public accessor exposes the storage as usual. A new buffer is left uninitialized: accumulate is then false.
    /// </remarks>
    private Span<T> GradBufferOfLeaf(out bool accumulate)
    {
        accumulate = _grad is not null && !_gradReleased;
        _grad ??= Tensor<T>.Uninitialized(Shape);
        _grad._isGradient = true;
        _gradReleased = false;
        return _grad.KernelWriteSpan;
    }

    /// <summary>Returns the transient gradient to the pool (a lent seed is only dropped: it belongs to the caller).</summary>
    internal void ReleaseTransientGrad()
    {
        if (TransientGrad is { } buffer)
        {
            TransientGrad = null;
            if (_transientGradBorrowed)
            {
                _transientGradBorrowed = false;
            }
            else
            {
                BufferPool<T>.Return(buffer);
            }
        }
    }

    /// <summary>Marks this tensor as a leaf's gradient (see <see cref="TryBorrowSeed"/>).</summary>
    internal void MarkAsGradient() => _isGradient = true;

    /// <summary>
    /// Makes <paramref name="gradOutput"/>'s own array this non-leaf root's gradient, instead of a copy (a 4 MB copy per
    /// <c>Backward(g)</c> of 1M floats), when nothing the walk writes can share that array: no gradient yet and no hook
    /// or RetainGrad on the root (they write the gradient back), and <paramref name="gradOutput"/> is a contiguous base
    /// tensor with no views, not released, not requiring a gradient and never a leaf's Grad (the walk accumulates into
    /// those). The walk only reads the seed; <see cref="GradBuffer(out bool)"/> copies it first if anything would write.
    /// The caller keeps <paramref name="gradOutput"/> reachable until the walk is over.
    /// </summary>
    internal bool TryBorrowSeed(Tensor<T> gradOutput)
    {
        if (IsLeaf || TransientGrad is not null || InterceptsGradient || gradOutput.IsReleased || gradOutput.RequiresGrad
            || gradOutput._isGradient || gradOutput.SharedStorage is not null || !gradOutput.IsContiguous || gradOutput.Offset != 0
            || gradOutput.Shape != Shape)
        {
            return false;
        }

        (TransientGrad, _transientGradBorrowed) = (gradOutput._data, true);
        return true;
    }

    /// <summary>The gradient accumulated so far in this backward walk, or an empty span.</summary>
    internal ReadOnlySpan<T> CurrentGradient() =>
        TransientGrad is not null ? TransientGrad.AsSpan(0, Count) : IsLeaf && Grad is { } grad ? grad.KernelReadSpan : default; // this leaf holds grad

    /// <summary>
    /// Runs reverse-mode differentiation from this tensor: visits each op reachable from it once, latest first, and
    /// accumulates <c>d this / d leaf</c> into each leaf's <see cref="Grad"/>. Other graphs on the thread are untouched.
    /// </summary>
    /// <param name="gradOutput">The gradient flowing into this tensor; required unless it holds one element (then 1).</param>
    /// <param name="retainGraph">Keep the walked graph so Backward can run again over it; by default it is freed (kept when <paramref name="createGraph"/>).</param>
    /// <param name="createGraph">
    /// Record the backward pass itself, so each leaf's <see cref="Grad"/> is a tensor with a graph that can be
    /// differentiated again (higher-order gradients). Off by default: the fused span kernels run instead.
    /// </param>
    /// <remarks>PyTorch: <c>tensor.backward(gradient, retain_graph, create_graph)</c>.</remarks>
    /// <exception cref="InvalidOperationException">
    /// The tensor does not require a gradient, is not a scalar and no <paramref name="gradOutput"/> was given,
    /// its graph was already freed by a previous backward, or it was recorded on another thread.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="gradOutput"/> has a different shape.</exception>
    /// <exception cref="NotSupportedException">With <paramref name="createGraph"/>, an op on the path has no differentiable backward.</exception>
    public void Backward(Tensor<T>? gradOutput = null, bool retainGraph = false, bool createGraph = false)
    {
        if (createGraph)
        {
            Autograd.BackwardWithGraph(this, gradOutput, retainGraph: true);
            return;
        }

        MiniNet.Tape.RunBackward(this, gradOutput, retainGraph);
    }
}
