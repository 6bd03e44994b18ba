using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// An n-dimensional array of <typeparamref name="T"/> that can take part in reverse-mode automatic differentiation:
/// a view (shape, strides, offset) of a storage that views such as <see cref="Ops.Transpose{T}(Tensor{T}, int, int)"/>
/// or <see cref="Ops.Narrow{T}"/> share. Tensors an op creates are row-major and contiguous.
/// </summary>
/// <typeparam name="T"><see cref="float"/> (the default for networks) or <see cref="double"/> (gradient checks).</typeparam>
/// <remarks>
/// PyTorch: <c>torch.Tensor</c>. Generic math (<see cref="IBinaryFloatingPointIeee754{TSelf}"/>) gives one code path
/// for both element types; the JIT specialises every kernel for the concrete type, so there is no per-element
/// dispatch. Differentiable ops are extension methods in <see cref="Ops"/>; each records one entry on the current
/// thread's <see cref="Tape"/> when an input requires a gradient and <see cref="Autograd.IsGradEnabled"/> is true.
/// A tensor is not thread-safe. Create tensors with the factories on <see cref="Tensor"/>.
/// </remarks>
public sealed partial class Tensor<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _data;
    private int _version;
    private bool _requiresGrad;
    private Tensor<T>? _grad;
    private bool _gradReleased;

    internal Tensor(Shape shape, T[] data)
        : this(shape, data, ownsStorage: false)
    {
    }

    private Tensor(Shape shape, T[] data, bool ownsStorage)
    {
        OwnsStorage = ownsStorage;
        if (data.Length < shape.ElementCount)
        {
            throw new ArgumentException($"Storage of {data.Length} elements is too small for shape {shape}.", nameof(data));
        }

        Shape = shape;
        _data = data;
        StepCapture.NoteCreated(this);
    }

    internal Tensor(Shape shape)
        : this(shape, cleared: true)
    {
    }

    private Tensor(Shape shape, bool cleared)
    {
        OwnsStorage = true;
        Shape = shape;
        _data = Allocate(shape.ElementCount, cleared, out _lease);
        StepCapture.NoteCreated(this);
    }

    /// <summary>
    /// A tensor whose elements are arbitrary, for op outputs the kernel overwrites completely: skips zeroing, which
    /// for a large output (a 4 MB array on the large-object heap) costs as much as a bandwidth-bound kernel.
    /// </summary>
    internal static Tensor<T> Uninitialized(Shape shape) => new(shape, cleared: false);

    /// <summary>False for tensors created over an existing array, whose storage must never be pooled.</summary>
    private bool OwnsStorage { get; }

    /// <summary>The storage shared with views, created when the first view of this tensor is taken; null until then.</summary>
    private Storage<T>? SharedStorage { get; set; }

    /// <summary>The shape, outermost dimension first.</summary>
    public Shape Shape { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The number of elements (PyTorch: <c>numel()</c>).</summary>
    public int Count => Shape.ElementCount;

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves (tensors no op created); a tensor an op recorded
    /// on the tape always requires a gradient.
    /// </summary>
    /// <remarks>PyTorch: <c>requires_grad</c>.</remarks>
    /// <exception cref="InvalidOperationException">Set on a tensor an op created (not a leaf).</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Creator is not null)
            {
                throw new InvalidOperationException(
                    "RequiresGrad can only be set on leaf tensors; this tensor was produced by an op on the tape. " +
                    "Call Detach() to get a leaf that shares nothing with the tape.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>
    /// The accumulated gradient of the last <see cref="Backward"/> call(s) with respect to this leaf, or null
    /// before any backward pass reached it (or after an optimizer's <c>ZeroGrad(setToNone: true)</c>). Gradients add
    /// up across calls until <see cref="ZeroGrad"/>.
    /// </summary>
    /// <remarks>PyTorch: <c>.grad</c>. Non-leaf tensors do not keep their gradient after backward.</remarks>
    public Tensor<T>? Grad
    {
        get => _gradReleased ? null : _grad;
        internal set
        {
            if (StepCapture.Current is not null && Autograd.IsRecordingBackward)
            {
                throw new NotSupportedException(
                    "Autograd.CaptureStep: a gradient was assigned as a new tensor (Backward(createGraph: true) or Autograd.Grad); " +
                    "a captured step replays only the plain Backward(), which writes gradients in place.");
            }

            (_grad, _gradReleased) = (value, false);
            value?.MarkAsGradient();
        }
    }

    /// <summary>True when no recorded op produced this tensor (PyTorch: <c>is_leaf</c>).</summary>
    public bool IsLeaf => Creator is null;

    /// <summary>The graph node that produced this tensor, or null for leaves; it keeps the graph behind this tensor alive.</summary>
    internal TapeEntry? Creator { get; private set; }

    /// <summary>
    /// Bumped by every in-place write, so backward can detect that a saved tensor changed. Shared by every view of the
    /// same storage: a write through a view changes the version of its base and of the other views.
    /// </summary>
    internal int Version => SharedStorage is { } shared ? shared.Version : _version;

    /// <summary>True once <see cref="ReleaseStorage"/> gave the storage back (see <see cref="Autograd.RecycleIntermediates"/>).</summary>
    internal bool IsReleased { get; private set; }

    private T[] Data => IsReleased ? ThrowReleased() : _data;

    private T[] ThrowReleased() => throw new InvalidOperationException(IsDisposed
        ? $"This {Shape} tensor was disposed (Dispose() or a using block), and its storage went back to MiniNet's pool. " +
          "Dispose a tensor only once nothing reads it any more: not its views, and not a graph that will still be differentiated."
        : "This intermediate tensor's storage was recycled when Backward() freed its tape inside Autograd.RecycleIntermediates(). " +
          "Read what you need (for example loss.Item()) before Backward(), keep a Detach()ed copy, or train without RecycleIntermediates.");

    /// <summary>
    /// Marks the tensor released (every later access throws a clear exception) and, when it owns its storage and
    /// <paramref name="keepStorage"/> is not that storage, returns the storage to the pool.
    /// </summary>
    internal void ReleaseStorage(object? keepStorage)
    {
        if (!IsReleased)
        {
            bool lastOwner = SharedStorage is { } shared ? shared.Release() : OwnsStorage;
            if (ReferenceEquals(_data, keepStorage) || lastOwner)
            {
                _lease?.Expose(); // kept elsewhere, or back to this thread's pool below: the lease must not free it again
            }

            if (lastOwner && !ReferenceEquals(_data, keepStorage))
            {
                BufferPool<T>.Return(_data);
            }

            _data = Array.Empty<T>();
            _gathered = null;
            IsReleased = true;
        }
    }

    internal void SetCreator(TapeEntry entry)
    {
        Creator = entry;
        _requiresGrad = true;
    }

    internal void MarkModified()
    {
        if (SharedStorage is { } shared)
        {
            shared.Version++;
        }
        else
        {
            _version++;
        }
    }

    /// <summary>Read-only view of the elements in row-major order.</summary>
    /// <returns>
    /// For a contiguous tensor, a span over the storage, valid while the tensor lives. For a non-contiguous view
    /// (a transpose, an expand), a row-major copy made once and reused until the storage is written to.
    /// </returns>
    public ReadOnlySpan<T> AsReadOnlySpan() => ExposeStorage().KernelReadSpan;

    /// <summary>
    /// Writable view of the elements for an in-place update. The tensor's version is bumped, so a backward pass
    /// that still needs the old values throws instead of computing a wrong gradient.
    /// </summary>
    /// <returns>A span over the storage.</returns>
    /// <remarks>
    /// PyTorch: in-place ops such as <c>add_</c> bump <c>_version</c> the same way. The bump happens once, when the span
    /// is taken: writes through a span kept while a forward pass records ops that save this tensor are NOT detected
    /// (those ops record the already-bumped version), and backward then silently uses the new values. Take the span
    /// right before writing, or use <see cref="BeginWrite"/>, whose scope bumps the version again when it ends.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The tensor is a non-contiguous view (use <see cref="CopyFrom"/>, which writes through strides).</exception>
    public Span<T> AsSpanForWrite()
    {
        Span<T> span = ExposeStorage().KernelWriteSpan;
        MarkModified();
        return span;
    }

    /// <summary>Copies the elements into a new array, row-major.</summary>
    /// <returns>The array.</returns>
    public T[] ToArray()
    {
        T[] copy = KernelReadSpan.ToArray();
        GC.KeepAlive(this);
        return copy;
    }

    /// <summary>Returns the single element of a one-element tensor (PyTorch: <c>item()</c>).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The tensor does not hold exactly one element.</exception>
    public T Item()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with exactly one element, but this one has shape {Shape} ({Count} elements).");
        }

        return Data[Offset];
    }

    /// <summary>Returns a leaf copy of this tensor that shares nothing with the tape (PyTorch: <c>detach().clone()</c>).</summary>
    /// <returns>A new tensor with the same values and <see cref="RequiresGrad"/> false.</returns>
    public Tensor<T> Detach()
    {
        var copy = new Tensor<T>(Shape);
        KernelReadSpan.CopyTo(copy.KernelWriteSpan);
        return copy;
    }

    /// <summary>
    /// Copies values into this tensor in place (bumps its version, shared with its base and other views). On a
    /// non-contiguous view the values are written through its strides into the shared storage.
    /// </summary>
    /// <param name="source">Exactly <see cref="Count"/> values, row-major.</param>
    /// <exception cref="ArgumentException">The length differs from <see cref="Count"/>.</exception>
    /// <exception cref="InvalidOperationException">The tensor is an expanded view (several elements share one memory location).</exception>
    /// <remarks>PyTorch: <c>copy_</c>.</remarks>
    public void CopyFrom(ReadOnlySpan<T> source)
    {
        if (source.Length != Count)
        {
            throw new ArgumentException($"CopyFrom got {source.Length} values for a tensor of shape {Shape} ({Count} elements).", nameof(source));
        }

        if (IsContiguous)
        {
            source.CopyTo(AsSpanForWrite());
            return;
        }

        ThrowIfExpanded("CopyFrom");
        Strided.Scatter(source, Data, Offset, Shape.Dims, Strides);
        MarkModified();
    }

    /// <summary>Clears the accumulated gradient (PyTorch: <c>grad = None</c> / <c>zero_grad()</c>).</summary>
    /// <remarks>Inside <see cref="Autograd.CaptureStep{T}"/> the reset is captured too: each replay repeats it.</remarks>
    public void ZeroGrad()
    {
        StepCapture.Current?.Add(ZeroGrad);
        Grad?.KernelWriteSpan.Clear();
    }

    /// <summary>
    /// Sets <see cref="Grad"/> to null but keeps its buffer, so the next backward pass can write the new gradient
    /// into it without clearing it first (PyTorch: <c>zero_grad(set_to_none=True)</c>, its default).
    /// </summary>
    internal void ReleaseGrad() => _gradReleased = _grad is not null;
}
