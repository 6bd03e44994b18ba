using System;

namespace MiniNet;

/// <content>The layout of a tensor over its storage (offset and strides) and the storage shared with views.</content>
public sealed partial class Tensor<T>
{
    // Null for a row-major contiguous layout (every tensor an op creates), so the common path reads no strides.
    private int[]? _strides;

    // A non-contiguous view's elements in row-major order, made by AsReadOnlySpan and valid while the version is unchanged.
    private T[]? _gathered;
    private int _gatheredVersion;

    /// <summary>A view of <paramref name="source"/>'s storage with its own shape, strides and offset.</summary>
    private Tensor(Tensor<T> source, Shape shape, int[] strides, int offset)
    {
        Shape = shape;
        _data = source.Data;
        _lease = source._lease; // the view keeps the base's pooled array claimed (see StoragePool)
        SharedStorage = source.ShareStorage();
        Offset = offset;
        _strides = IsRowMajor(shape, strides) ? null : strides;
    }

    /// <summary>Where this tensor's first element sits in its storage (PyTorch: <c>storage_offset()</c>).</summary>
    public int Offset { get; }

    /// <summary>
    /// The step in the storage between neighbours along each dimension, in elements (PyTorch: <c>stride()</c>):
    /// row-major for a contiguous tensor, permuted by a transpose, 0 along an expanded dimension.
    /// </summary>
    public ReadOnlySpan<int> Strides => _strides ?? Shape.ContiguousStrides;

    /// <summary>
    /// True when the elements sit in row-major order without gaps from <see cref="Offset"/> (PyTorch:
    /// <c>is_contiguous()</c>): every tensor an op creates, a reshape of one, a narrow along its first dimension.
    /// </summary>
    public bool IsContiguous => _strides is null;

    /// <summary>True when this tensor and <paramref name="other"/> read the same storage (PyTorch: <c>untyped_storage().data_ptr()</c> equal).</summary>
    /// <param name="other">Another tensor.</param>
    /// <returns>Whether they share storage.</returns>
    public bool SharesStorageWith(Tensor<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(this, other) || (SharedStorage is not null && ReferenceEquals(SharedStorage, other.SharedStorage));
    }

    /// <summary>
    /// A 2-D tensor's elements for GEMM without a copy: the row-major matrix, or, for a transposed view of a contiguous
    /// matrix (strides <c>[1, rows]</c>), the storage of its transpose with <paramref name="transposed"/> set. Any other
    /// layout is read through <see cref="AsReadOnlySpan"/>.
    /// </summary>
    internal ReadOnlySpan<T> MatrixSpan(out bool transposed)
    {
        transposed = _strides is { Length: 2 } s && s[0] == 1 && s[1] == Shape.Dims[0];
        return transposed ? Data.AsSpan(Offset, Count) : AsReadOnlySpan();
    }

    /// <summary>Creates a view over this tensor's storage (no copy); the caller records it on the tape.</summary>
    internal Tensor<T> ViewAs(Shape shape, int[] strides, int offset) => new(this, shape, strides, offset);

    /// <summary>The storage, created (with this tensor's version and pool ownership) when the first view shares it.</summary>
    private Storage<T> ShareStorage()
    {
        if (SharedStorage is { } shared)
        {
            return shared.AddHolder();
        }

        SharedStorage = new Storage<T>(Data, _version, OwnsStorage);
        return SharedStorage.AddHolder();
    }

    private static bool IsRowMajor(Shape shape, int[] strides)
    {
        ReadOnlySpan<int> dims = shape.Dims;
        int expected = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            if (dims[i] != 1)
            {
                if (strides[i] != expected)
                {
                    return false;
                }

                expected *= dims[i];
            }
        }

        return true;
    }

    /// <summary>The row-major copy of a non-contiguous view, made again only after the storage was written to.</summary>
    private T[] Gathered()
    {
        T[] data = Data;
        int version = Version;
        if (_gathered is null || _gatheredVersion != version)
        {
            var gathered = Count == 0 ? Array.Empty<T>() : GC.AllocateUninitializedArray<T>(Count);
            Strided.Gather(data, Offset, Shape.Dims, Strides, gathered);
            (_gathered, _gatheredVersion) = (gathered, version);
        }

        return _gathered;
    }

    private InvalidOperationException NotContiguous(string action) => new(
        $"{action} a non-contiguous view (shape {Shape}, strides [{string.Join(", ", Strides.ToArray())}], offset {Offset}) is not supported. " +
        "Write with CopyFrom (it writes through the strides), or call Contiguous() for a copy with its own storage.");

    private void ThrowIfExpanded(string op)
    {
        ReadOnlySpan<int> strides = Strides, dims = Shape.Dims;
        for (int i = 0; i < dims.Length; i++)
        {
            if (strides[i] == 0 && dims[i] > 1)
            {
                throw new InvalidOperationException(
                    $"{op}: cannot write into an expanded view (shape {Shape}, strides [{string.Join(", ", strides.ToArray())}]): dimension {i} " +
                    "repeats one stored element, so a write would change several elements at once. Call Contiguous() first for a copy.");
            }
        }
    }
}
