using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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

/// <summary>
/// A process-wide, size-bucketed, bounded pool of large tensor storages (from the large-object-heap size up) that
/// takes an array back when the tensor owning it is disposed or has been garbage-collected, so a loop of
/// <c>c = a + b</c> on 1M floats that never disposes <c>c</c> reuses a few arrays instead of allocating 4 MB per op.
/// </summary>
/// <remarks>
/// <para>
/// Each array rented to a tensor is an <see cref="Entry"/> whose weak reference points at the tensor's
/// <see cref="StorageLease{T}"/>. A rent takes this thread's given-back array (<see cref="BufferPool{T}"/>) while the
/// bucket has room, else one whose lease died (giving the thread's array back), else a fresh one; when every tracked
/// array of that length is still claimed and the bucket is full, it forces one gen-1 collection (leases die young) and
/// looks again, backing off exponentially while collections find nothing, then falls back to an untracked array.
/// Scratch rents of <see cref="BufferPool{T}"/> (transient gradients) take a dead lease's array out of the pool
/// (<see cref="TryReclaim"/>) before allocating, so a backward root or a leaf gradient left undisposed every step
/// does not cost a fresh array per step.
/// </para>
/// <para>
/// Safety: an array is reused only when no tensor can reach it, and no span of it is outside MiniNet's audited
/// kernels: every public accessor that hands out the elements (AsReadOnlySpan, AsSpanForWrite, BeginWrite) exposes the
/// lease first, which drops the array from the pool for good. MiniNet's own code has only the kernel accessors
/// (<see cref="Tensor{T}.KernelReadSpan"/>, KernelWriteSpan, KernelArray), whose callers keep their tensors reachable
/// (a later use or <see cref="GC.KeepAlive"/>) until they are done. Bounds: at most <see cref="MaxPerLength"/> arrays and <see cref="MaxBytesPerLength"/> bytes per length,
/// beyond which arrays are ordinary garbage. All members are thread-safe (one lock; a rent costs a few entries' scan).
/// </para>
/// </remarks>
internal static class StoragePool<T>
    where T : unmanaged
{
    /// <summary>The smallest length pooled here: arrays of at least 85,000 bytes go to the large-object heap.</summary>
    public static readonly int MinLength = (85_000 / Unsafe.SizeOf<T>()) + 1;

    private const int MaxPerLength = 16;
    // A bucket that outgrows the last-level cache makes every op write to a cold array: 1M-float add with 16 arrays
    // (64 MB) took ~185 us against ~125 us reusing one; with 4 (16 MB) ~170 us, the forced collections (then every
    // fourth op) costing ~5 us per op (load 4-6, tests/MiniNet.Benchmarks --filter 1M and a probe; see the commit).
    // Tried 2026-12-03 (load 0.2, min of 60 interleaved 16-op blocks): 8 MB (2 arrays, a collection every second op)
    // made undisposed 1M add slower, 170-176 us against 147-151 (sigmoid unchanged, ~263), since a forced collection
    // costs ~18 us whatever it finds; gen-0 instead of gen-1 collections cost as much and let leases escape to gen 1
    // (765-820 us per add, fresh arrays). The remaining gap to a disposed output (~110 us) is the cold 4-array rotation.
    private const long MaxBytesPerLength = 16L << 20;
    private const int MaxBackoff = 1024;

    private static readonly object s_lock = new();
    private static readonly Dictionary<int, Bucket> s_buckets = [];

    /// <summary>Arrays of <paramref name="length"/> allocated fresh for tracking (tests: a steady-state loop stops adding to it).</summary>
    public static int FreshArrays(int length)
    {
        lock (s_lock)
        {
            return s_buckets.TryGetValue(length, out Bucket? bucket) ? bucket.Fresh : 0;
        }
    }

    /// <summary>Collections this pool forced (see the remarks).</summary>
    public static long ForcedCollections { get; private set; }

    /// <summary>An array of exactly <paramref name="length"/> elements, arbitrary contents; <paramref name="lease"/> is null when untracked.</summary>
    public static T[] Rent(int length, out StorageLease<T>? lease)
    {
        // This thread's given-back array (a disposed or recycled tensor's, a released gradient): the warmest one.
        BufferPool<T>.TryRent(length, out T[]? free);
        Bucket bucket;
        lock (s_lock)
        {
            bucket = BucketFor(length);
            if (TryLease(bucket, length, free, out T[]? array, out lease))
            {
                return array;
            }

            if (++bucket.Skipped < bucket.Backoff)
            {
                return free ?? GC.AllocateUninitializedArray<T>(length);
            }

            bucket.Skipped = 0;
            ForcedCollections++;
        }

        GC.Collect(1, GCCollectionMode.Forced, blocking: true); // gen 1 too: a lease that survived one such collection dies there
        lock (s_lock)
        {
            bool found = IndexOfDead(bucket) >= 0;
            bucket.Backoff = found ? 1 : Math.Min(bucket.Backoff * 2, MaxBackoff);
            if (found && TryLease(bucket, length, free, out T[]? array, out lease))
            {
                return array;
            }
        }

        lease = null;
        return free ?? GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>
    /// A garbage lease's array of <paramref name="length"/>, taken out of the pool for good, for scratch that goes back
    /// to <see cref="BufferPool{T}"/> (a transient gradient): the pool's next lease takes it from there again.
    /// </summary>
    public static bool TryReclaim(int length, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T[]? array)
    {
        array = null;
        lock (s_lock)
        {
            if (!s_buckets.TryGetValue(length, out Bucket? bucket) || IndexOfDead(bucket) is not (int dead and >= 0))
            {
                return false;
            }

            Entry entry = bucket.Leased[dead];
            bucket.Leased.RemoveAt(dead);
            array = entry.Array;
            entry.Array = [];
            bucket.Spare.Push(entry);
            return true;
        }
    }

    /// <summary>Drops an exposed array from the pool (it now belongs to the GC), if <paramref name="lease"/> still claims it.</summary>
    internal static void Forget(Entry entry, StorageLease<T> lease)
    {
        lock (s_lock)
        {
            if (!entry.Owner.TryGetTarget(out StorageLease<T>? owner) || owner != lease)
            {
                return;
            }

            Bucket bucket = s_buckets[entry.Array.Length];
            if (bucket.Leased.Remove(entry))
            {
                entry.Owner.SetTarget(null!);
                entry.Array = [];
                bucket.Spare.Push(entry); // the entry object (and its weak handle) serves the next tracked array
            }
        }
    }

    // Under the lock: the array for a new lease. This thread's free array while the bucket has room; else a dead lease's
    // (the free one then goes back to BufferPool, so an undisposed output never leaves the pool untracked while a dead
    // one is there); else, below the bounds, a fresh one. False, consuming nothing, when the bucket is full of live leases.
    private static bool TryLease(Bucket bucket, int length, T[]? free, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T[]? array, out StorageLease<T>? lease)
    {
        array = null;
        lease = null;
        Entry entry;
        bool full = bucket.Leased.Count >= bucket.Capacity;
        if (free is not null && !full)
        {
            entry = NewEntry(bucket, free);
        }
        else if (IndexOfDead(bucket) is int dead and >= 0)
        {
            entry = bucket.Leased[dead];
            if (free is not null)
            {
                BufferPool<T>.Return(free);
            }
        }
        else if (!full)
        {
            entry = NewEntry(bucket, GC.AllocateUninitializedArray<T>(length));
            bucket.Fresh++;
        }
        else
        {
            return false;
        }

        lease = new StorageLease<T>(entry);
        entry.Owner.SetTarget(lease);
        array = entry.Array;
        return true;
    }

    private static Entry NewEntry(Bucket bucket, T[] array)
    {
        Entry entry = bucket.Spare.TryPop(out Entry? spare) ? spare : new Entry();
        entry.Array = array;
        bucket.Leased.Add(entry);
        return entry;
    }

    private static int IndexOfDead(Bucket bucket)
    {
        List<Entry> leased = bucket.Leased;
        for (int i = 0; i < leased.Count; i++)
        {
            if (!leased[i].Owner.TryGetTarget(out _))
            {
                return i;
            }
        }

        return -1;
    }

    private static Bucket BucketFor(int length)
    {
        if (!s_buckets.TryGetValue(length, out Bucket? bucket))
        {
            long bytes = (long)length * Unsafe.SizeOf<T>();
            bucket = new Bucket((int)Math.Clamp(MaxBytesPerLength / bytes, 2, MaxPerLength));
            s_buckets.Add(length, bucket);
        }

        return bucket;
    }

    /// <summary>One pooled array and the weak reference to the lease that claims it (no target while free).</summary>
    internal sealed class Entry
    {
        public T[] Array { get; set; } = [];

        public WeakReference<StorageLease<T>> Owner { get; } = new(null!);
    }

    private sealed class Bucket(int capacity)
    {
        public int Capacity { get; } = capacity;

        public List<Entry> Leased { get; } = [];

        public Stack<Entry> Spare { get; } = new();

        public int Backoff { get; set; } = 1;

        public int Skipped { get; set; }

        public int Fresh { get; set; }
    }
}
