using System;
using System.Threading;

namespace MiniNet;

/// <summary>
/// The claim of one tensor (and its views, which copy the reference) on an array from <see cref="StoragePool{T}"/>. It
/// is a tiny object that dies with the tensors in gen 0 or 1; the pool notices its death through a weak reference and
/// reuses the array, which itself is never freed (no large-object-heap churn, no gen-2 collection for it).
/// </summary>
internal sealed class StorageLease<T>
    where T : unmanaged
{
    private StoragePool<T>.Entry? _entry;

    internal StorageLease(StoragePool<T>.Entry entry) => _entry = entry;

    /// <summary>True while the pool may take the array back once this lease is unreachable.</summary>
    public bool IsTracked => Volatile.Read(ref _entry) is not null;

    /// <summary>
    /// The array was handed out (a span or the array itself left MiniNet's audited kernels): from now on only the GC
    /// frees it, since the holder of that span cannot be seen. Idempotent and thread-safe.
    /// </summary>
    public void Expose()
    {
        if (Volatile.Read(ref _entry) is not null && Interlocked.Exchange(ref _entry, null) is { } entry)
        {
            StoragePool<T>.Forget(entry, this);
        }

        // The caller may drop its tensor once it holds the span: without this the lease could be collected before
        // Forget takes the lock, another thread's Rent would see the entry dead and lease the array out again while
        // the span still writes to it (a test saw it as a later Forget of a recycled entry: KeyNotFoundException '0').
        GC.KeepAlive(this);
    }
}
