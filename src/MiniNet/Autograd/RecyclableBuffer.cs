namespace MiniNet;

/// <summary>
/// A scratch array that a tape entry keeps for its backward (MaxPool2d's argmax indices, Dropout's mask): rented from
/// this thread's <see cref="BufferPool{T}"/> and given back once, when backward recycles the tape
/// (<see cref="Autograd.RecycleIntermediates"/>), unless a differentiable backward built a graph that goes on reading it.
/// </summary>
/// <typeparam name="TItem">The element type.</typeparam>
internal struct RecyclableBuffer<TItem>
    where TItem : unmanaged
{
    private bool _givenAway;

    /// <summary>Rents <paramref name="length"/> elements with arbitrary contents (the caller overwrites them all).</summary>
    public RecyclableBuffer(int length) => Array = BufferPool<TItem>.Rent(length);

    /// <summary>The elements.</summary>
    public TItem[] Array { get; }

    /// <summary>The elements for a graph that outlives the entry: from now on only the GC frees them.</summary>
    public TItem[] Share()
    {
        _givenAway = true;
        return Array;
    }

    /// <summary>Gives the elements back to the pool, once, unless <see cref="Share"/> gave them away.</summary>
    public void Recycle()
    {
        if (!_givenAway)
        {
            _givenAway = true;
            BufferPool<TItem>.Return(Array);
        }
    }
}
