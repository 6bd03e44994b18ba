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
        if (length == 0)
        {
            return Array.Empty<T>();
        }

        if (t_free is not null && t_free.TryGetValue(length, out Stack<T[]>? stack) && stack.TryPop(out T[]? array))
        {
            Array.Clear(array);
            return array;
        }

        return new T[length];
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
