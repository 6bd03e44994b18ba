using System;
using System.Collections.Generic;

namespace MiniNet;

/// <summary>
/// A per-thread pool of exact-length arrays for buffers that never escape to users: the transient gradients of
/// intermediate tensors during a backward walk. Steady-state training then allocates no gradient buffers.
/// </summary>
internal static class BufferPool<T>
    where T : unmanaged
{
    // A handful per length covers a network's distinct activation sizes; beyond that, let the GC have them.
    private const int MaxPerLength = 16;

    [ThreadStatic]
    private static Dictionary<int, Stack<T[]>>? t_free;

    /// <summary>Returns a zeroed array of exactly <paramref name="length"/> elements.</summary>
    public static T[] RentCleared(int length)
    {
        if (TryPop(length, out T[]? array) || TryReclaim(length, out array))
        {
            Array.Clear(array);
            return array;
        }

        return length == 0 ? Array.Empty<T>() : new T[length];
    }

    /// <summary>Returns an array of exactly <paramref name="length"/> elements with arbitrary contents, for scratch the caller overwrites.</summary>
    public static T[] Rent(int length) =>
        TryPop(length, out T[]? array) || TryReclaim(length, out array) ? array
        : length == 0 ? Array.Empty<T>() : GC.AllocateUninitializedArray<T>(length);

    /// <summary>An array of exactly <paramref name="length"/> elements given back on this thread, if there is one.</summary>
    public static bool TryRent(int length, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T[]? array) => TryPop(length, out array);

    // A large length this thread has none of: a garbage tensor's array from StoragePool before a fresh one, so that an
    // undisposed output (a loss Backward ran from) does not leave this pool one array short every step.
    private static bool TryReclaim(int length, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T[]? array)
    {
        array = null;
        return length >= StoragePool<T>.MinLength && StoragePool<T>.TryReclaim(length, out array);
    }

    private static bool TryPop(int length, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T[]? array)
    {
        array = null;
        return length != 0 && t_free is not null && t_free.TryGetValue(length, out Stack<T[]>? stack) && stack.TryPop(out array);
    }

    /// <summary>Gives an array back; the caller must not use it afterwards.</summary>
    public static void Return(T[] array)
    {
        if (array.Length == 0)
        {
            return;
        }

        t_free ??= new Dictionary<int, Stack<T[]>>();
        if (!t_free.TryGetValue(array.Length, out Stack<T[]>? stack))
        {
            stack = new Stack<T[]>(MaxPerLength);
            t_free.Add(array.Length, stack);
        }

        if (stack.Count < MaxPerLength)
        {
            stack.Push(array);
        }
    }
}
