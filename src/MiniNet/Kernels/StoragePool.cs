using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MiniNet;

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
/// looks again. A lease that survives two such collections belongs to a long-lived tensor (a model's input, a weight, a
/// target held across steps): it becomes <em>resident</em> and stops counting against the bound of the arrays in
/// rotation, so tensors a program keeps do not leave the undisposed outputs fewer arrays (with two 4 MB inputs and a
/// 4 MB target held, a recorded exact GELU's output, saved derivative and gradient found the bucket full every step:
/// 5.5-6.5 MB allocated and a gen-2 collection every ~4 steps, 3.2 ms instead of 2.1). When the bucket is full of live
/// leases it backs off exponentially while collections find nothing, then falls back to an untracked array.
/// Scratch rents of <see cref="BufferPool{T}"/> (transient gradients) take a dead lease's array out of the pool
/// (<see cref="TryReclaim"/>) before allocating, so a backward root or a leaf gradient left undisposed every step
/// does not cost a fresh array per step.
/// </para>
/// <para>
/// Safety: an array is reused only when no tensor can reach it, and no span of it is outside MiniNet's audited
/// kernels: every public accessor that hands out the elements (AsReadOnlySpan, AsSpanForWrite, BeginWrite) exposes the
/// lease first, which drops the array from the pool for good. MiniNet's own code has only the kernel accessors
/// (<see cref="Tensor{T}.KernelReadSpan"/>, KernelWriteSpan, KernelArray), whose callers keep their tensors reachable
/// (a later use or <see cref="GC.KeepAlive"/>) until they are done. Bounds per length: at most <see cref="MaxPerLength"/>
/// arrays and <see cref="MaxBytesPerLength"/> bytes in rotation, and at most <see cref="MaxPerLength"/> arrays and
/// <see cref="MaxResidentBytesPerLength"/> bytes more held by resident leases; beyond that arrays are ordinary garbage. A pooled array is never freed,
/// so a length's peak use, up to these bounds, stays allocated (as in a caching allocator). All members are thread-safe (one lock; a rent costs a few entries' scan).
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
    private const long MaxResidentBytesPerLength = 48L << 20;
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
            CountSurvivors(bucket);
            if (TryLease(bucket, length, free, out T[]? array, out lease))
            {
                bucket.Backoff = 1;
                return array;
            }

            bucket.Backoff = Math.Min(bucket.Backoff * 2, MaxBackoff);
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
    // Room: fewer than Capacity leases in rotation (not resident) and fewer than Limit in all.
    private static bool TryLease(Bucket bucket, int length, T[]? free, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T[]? array, out StorageLease<T>? lease)
    {
        array = null;
        lease = null;
        Entry entry;
        bool full = bucket.Leased.Count >= bucket.Limit || RotatingCount(bucket) >= bucket.Capacity;
        if (free is not null && !full)
        {
            entry = NewEntry(bucket, free);
        }
        else if (IndexOfDead(bucket) is int dead and >= 0)
        {
            entry = bucket.Leased[dead];
            entry.Survived = 0;
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
        entry.Survived = 0;
        bucket.Leased.Add(entry);
        return entry;
    }

    // After a forced gen-1 collection: a lease alive at two of them is held by a long-lived tensor (see the remarks).
    // One is not enough: the output of the op just before, still in a caller's variable, survives the first.
    private static void CountSurvivors(Bucket bucket)
    {
        foreach (Entry entry in bucket.Leased)
        {
            if (entry.Owner.TryGetTarget(out _))
            {
                entry.Survived++;
            }
        }
    }

    private static int RotatingCount(Bucket bucket)
    {
        int count = 0;
        foreach (Entry entry in bucket.Leased)
        {
            count += entry.Resident ? 0 : 1;
        }

        return count;
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
            int capacity = (int)Math.Clamp(MaxBytesPerLength / bytes, 2, MaxPerLength);
            bucket = new Bucket(capacity, capacity + (int)Math.Clamp(MaxResidentBytesPerLength / bytes, 2, MaxPerLength));
            s_buckets.Add(length, bucket);
        }

        return bucket;
    }

    /// <summary>One pooled array and the weak reference to the lease that claims it (no target while free).</summary>
    internal sealed class Entry
    {
        public T[] Array { get; set; } = [];

        public WeakReference<StorageLease<T>> Owner { get; } = new(null!);

        /// <summary>Forced collections the current lease survived.</summary>
        public int Survived { get; set; }

        /// <summary>The lease survived two forced collections (a long-lived tensor's): not counted in the rotation's bound.</summary>
        public bool Resident => Survived >= 2;
    }

    private sealed class Bucket(int capacity, int limit)
    {
        /// <summary>Leases in rotation (not resident) at most.</summary>
        public int Capacity { get; } = capacity;

        /// <summary>Leases in all at most.</summary>
        public int Limit { get; } = limit;

        public List<Entry> Leased { get; } = [];

        public Stack<Entry> Spare { get; } = new();

        public int Backoff { get; set; } = 1;

        public int Skipped { get; set; }

        public int Fresh { get; set; }
    }
}
