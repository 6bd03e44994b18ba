using System;

namespace MiniNet;

/// <summary>
/// One entry of a tensor indexer: an <see cref="int"/> or an <see cref="System.Index"/> picks one position and removes
/// the dimension (<c>x[^1]</c>, <c>x[.., 3]</c>), a <see cref="System.Range"/> keeps a slice of it (<c>x[0..10]</c>).
/// </summary>
/// <remarks>PyTorch: the entries of <c>x[1, 2:]</c>; a negative <see cref="int"/> counts from the end as in Python.</remarks>
public readonly struct TensorIndex : IEquatable<TensorIndex>
{
    private TensorIndex(Index? index, int? position, Range range)
    {
        (IndexValue, Position, RangeValue) = (index, position, range);
    }

    /// <summary>True when the entry keeps a range (the dimension stays).</summary>
    public bool IsRange => IndexValue is null && Position is null;

    private Index? IndexValue { get; }

    private int? Position { get; }

    private Range RangeValue { get; }

    /// <summary>One position; negative counts from the end (<c>-1</c> is the last).</summary>
    /// <param name="position">The position.</param>
    public static implicit operator TensorIndex(int position) => new(null, position, default);

    /// <summary>One position, <c>^1</c> for the last.</summary>
    /// <param name="index">The index.</param>
    public static implicit operator TensorIndex(Index index) => new(index, null, default);

    /// <summary>A slice, <c>..</c> for all of the dimension.</summary>
    /// <param name="range">The range.</param>
    public static implicit operator TensorIndex(Range range) => new(null, null, range);

    /// <summary>Creates an entry from a position (the named alternative to the implicit conversion).</summary>
    /// <param name="position">The position.</param>
    /// <returns>The entry.</returns>
    public static TensorIndex FromInt32(int position) => position;

    /// <summary>Creates an entry from an index.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The entry.</returns>
    public static TensorIndex FromIndex(Index index) => index;

    /// <summary>Creates an entry from a range.</summary>
    /// <param name="range">The range.</param>
    /// <returns>The entry.</returns>
    public static TensorIndex FromRange(Range range) => range;

    /// <summary>The position in a dimension of <paramref name="size"/> elements.</summary>
    internal int PositionIn(int size, int dim, Shape shape)
    {
        int p = Position is int i ? (i < 0 ? i + size : i) : IndexValue!.Value.GetOffset(size);
        if ((uint)p >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), $"Index {this} is out of range for dimension {dim} of size {size} (shape {shape}).");
        }

        return p;
    }

    /// <summary>The start and length of the range in a dimension of <paramref name="size"/> elements.</summary>
    internal (int Start, int Length) RangeIn(int size, int dim, Shape shape)
    {
        int start = RangeValue.Start.GetOffset(size), end = RangeValue.End.GetOffset(size);
        if (start < 0 || end > size || start > end)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), $"Range {RangeValue} is out of range for dimension {dim} of size {size} (shape {shape}).");
        }

        return (start, end - start);
    }

    /// <inheritdoc/>
    public bool Equals(TensorIndex other) => Nullable.Equals(IndexValue, other.IndexValue) && Position == other.Position && RangeValue.Equals(other.RangeValue);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorIndex other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IndexValue, Position, RangeValue);

    /// <summary>Formats the entry as C# would write it (<c>3</c>, <c>^1</c>, <c>0..10</c>).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Position is int i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : IndexValue is { } index ? index.ToString() : RangeValue.ToString();

    /// <summary>True when both entries are equal.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    public static bool operator ==(TensorIndex left, TensorIndex right) => left.Equals(right);

    /// <summary>True when the entries differ.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    public static bool operator !=(TensorIndex left, TensorIndex right) => !left.Equals(right);
}
