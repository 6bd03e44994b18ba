using System;

namespace MiniNet;

public sealed partial class Tensor<T> : IDisposable
{
    /// <summary>
    /// From this many elements (16 KB of float) an op's output array comes from the calling thread's pool whenever one
    /// of that length was given back (by <see cref="Dispose"/>, by <see cref="Autograd.RecycleIntermediates"/> or as an
    /// op's scratch): a fresh multi-megabyte array costs a page fault per 4 KB, more than a bandwidth-bound kernel.
    /// Below it the pool's lookup costs more than the allocation it saves.
    /// </summary>
    internal const int PooledLength = 4096;

    /// <summary>True once <see cref="Dispose"/> ran; every later read or write of the elements then throws.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>
    /// Gives the storage back to MiniNet's per-thread pool of arrays, so that the next op output of the same size
    /// reuses it instead of allocating (a 1M-float <c>using var c = a + b;</c> loop then allocates no array at all).
    /// Optional: a large undisposed op output (from 85,000 bytes) whose elements were only read by MiniNet's kernels
    /// goes back to a process-wide pool once the garbage collector finds it unreachable (see <c>Kernels/StoragePool.cs</c>);
    /// one whose elements were handed out (<see cref="AsReadOnlySpan"/>, <see cref="AsSpanForWrite"/>) is left to the
    /// garbage collector, since a span of it may still be in use. The shape stays readable; reading or writing the
    /// elements afterwards throws <see cref="InvalidOperationException"/>. Views keep the storage alive: it goes back
    /// to the pool only when the base and every view of it are disposed (or released by RecycleIntermediates).
    /// Idempotent. The gradient (<see cref="Grad"/>) is a tensor of its own and is not disposed.
    /// </summary>
    /// <remarks>
    /// PyTorch frees a tensor's memory through reference counting as soon as it is unreachable; .NET cannot know that
    /// before a garbage collection, so this is the explicit equivalent (TorchSharp's <c>Tensor.Dispose</c>). Do not
    /// dispose a tensor a graph still reads for its backward (an op's saved input or output): that backward then throws
    /// naming the disposed tensor instead of reading recycled memory. Spans obtained from the tensor must not be used
    /// after Dispose.
    /// </remarks>
    public void Dispose()
    {
        if (!IsReleased)
        {
            IsDisposed = true;
            ReleaseStorage(keepStorage: null);
        }
    }

    /// <summary>
    /// The elements without exposing the storage (see <see cref="StoragePool{T}"/>): for MiniNet's own kernels, which
    /// finish with the span before they return and keep this tensor reachable until then (<see cref="GC.KeepAlive"/>),
    /// so that an undisposed large output can go back to the pool once it is garbage. Row-major, like <see cref="AsReadOnlySpan"/>.
    /// </summary>
    internal ReadOnlySpan<T> KernelReadSpan => IsContiguous ? Data.AsSpan(Offset, Count) : Gathered();

    /// <summary>The underlying array for a kernel that walks this tensor's strides itself (a gather), under <see cref="KernelReadSpan"/>'s rule.</summary>
    internal T[] KernelArray => Data;

    /// <summary>
    /// Writable <see cref="KernelReadSpan"/> of a contiguous tensor (an op's fresh output, a gradient buffer), under the
    /// same rule; it does not bump the version (in-place updates of a saved tensor call MarkModified).
    /// </summary>
    internal Span<T> KernelWriteSpan => IsContiguous ? Data.AsSpan(Offset, Count) : throw NotContiguous("Writing directly into");

    /// <summary>The array itself as an object, without exposing it (tests compare identities).</summary>
    internal object StorageIdentity => _data;

    /// <summary>True while the pool may take this tensor's storage back when it becomes garbage (tests).</summary>
    internal bool IsStorageTracked => _lease is { IsTracked: true };

    // The lease on a pooled large array (null for small or caller-provided arrays); views copy it, so it lives as
    // long as any tensor that reads the array.
    private StorageLease<T>? _lease;

    // Every accessor that lets the elements leave MiniNet's kernels (a span a caller may keep) calls this first.
    private Tensor<T> ExposeStorage()
    {
        if (_lease is { } lease)
        {
            _lease = null;
            lease.Expose();
        }

        return this;
    }

    private static T[] Allocate(int count, bool cleared, out StorageLease<T>? lease)
    {
        lease = null;
        if (count >= StoragePool<T>.MinLength)
        {
            T[] array = StoragePool<T>.Rent(count, out lease);
            if (cleared)
            {
                Array.Clear(array);
            }

            return array;
        }

        return count == 0 ? Array.Empty<T>()
            : Autograd.IsRecyclingIntermediates || count >= PooledLength ? (cleared ? BufferPool<T>.RentCleared(count) : BufferPool<T>.Rent(count))
            : cleared ? new T[count] : GC.AllocateUninitializedArray<T>(count);
    }
}
