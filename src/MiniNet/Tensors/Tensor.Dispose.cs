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
    /// Optional: an undisposed tensor is simply garbage-collected. The shape stays readable; reading or writing the
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

    private static T[] Allocate(int count, bool cleared) =>
        count == 0 ? Array.Empty<T>()
        : Autograd.IsRecyclingIntermediates || count >= PooledLength ? (cleared ? BufferPool<T>.RentCleared(count) : BufferPool<T>.Rent(count))
        : cleared ? new T[count] : GC.AllocateUninitializedArray<T>(count);
}
