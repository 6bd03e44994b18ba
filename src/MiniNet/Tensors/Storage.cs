namespace MiniNet;

/// <summary>
/// The array behind a tensor and every view of it: the elements, the version counter that in-place writes through
/// any of them bump (so a saved tensor's check sees a write through a view), and whether the array came from
/// <see cref="BufferPool{T}"/> and goes back there once no tensor uses it.
/// </summary>
/// <remarks>
/// PyTorch: <c>StorageImpl</c> plus the version counter views share. A tensor creates its storage only when the first
/// view of it is taken, so the plain (contiguous, unshared) path allocates nothing beyond the tensor and its array.
/// </remarks>
internal sealed class Storage<T>
    where T : unmanaged
{
    private int _holders;

    public Storage(T[] array, int version, bool pooled)
    {
        Array = array;
        Version = version;
        Pooled = pooled;
        _holders = 1;
    }

    /// <summary>The elements; views read them at their own offset and strides.</summary>
    public T[] Array { get; }

    /// <summary>Bumped by every in-place write through any tensor sharing this storage.</summary>
    public int Version { get; set; }

    /// <summary>True when the array was rented from the pool and should return there after the last release.</summary>
    public bool Pooled { get; }

    /// <summary>Another tensor (a view) now uses the array.</summary>
    public Storage<T> AddHolder()
    {
        _holders++;
        return this;
    }

    /// <summary>One tensor released the array; true when it was the last one and the array may go back to the pool.</summary>
    public bool Release() => --_holders == 0 && Pooled;
}
