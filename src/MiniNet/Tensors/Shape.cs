using System;
using System.Text;

namespace MiniNet;

/// <summary>
/// The immutable, row-major shape of a <see cref="Tensor{T}"/>: a list of non-negative dimension sizes.
/// </summary>
/// <remarks>PyTorch: <c>torch.Size</c>. A rank-0 shape (<c>[]</c>) describes a scalar holding one element.</remarks>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;
    private int[]? _contiguousStrides;

    /// <summary>The rank-0 shape of a scalar.</summary>
    public static Shape Scalar { get; } = new Shape(Array.Empty<int>(), validated: true);

    /// <summary>Creates a shape from its dimension sizes, outermost first.</summary>
    /// <param name="dims">The sizes; each must be zero or positive.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count overflows <see cref="int"/>.</exception>
    public Shape(params int[] dims)
        : this(Validate(dims), validated: true)
    {
    }

    private Shape(int[] dims, bool validated)
    {
        _ = validated;
        _dims = dims;
        long count = 1;
        foreach (int d in dims)
        {
            count *= d;
        }

        ElementCount = (int)count;
    }

    /// <summary>Creates a shape from a span of sizes, copying it.</summary>
    /// <param name="dims">The sizes; each must be zero or positive.</param>
    /// <returns>The shape.</returns>
    public static Shape Of(ReadOnlySpan<int> dims) => dims.Length == 0 ? Scalar : new Shape(dims.ToArray());

    /// <summary>
    /// The shape of an op's result, validated like the constructor, but an oversized result raises naming the op and its
    /// inputs (<c>MatMul: [50000, 8] x [8, 50000] gives [50000, 50000] ...</c>), not only the shape.
    /// </summary>
    /// <exception cref="ArgumentException">The element count exceeds <see cref="Array.MaxLength"/>.</exception>
    internal static Shape OfResult(string op, Shape a, string relation, Shape b, params int[] dims)
    {
        Int128 count = Count(dims);
        if (count > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{op}: {a}{relation}{b} gives shape {Format(dims)} with {count} elements, more than an array can hold ({Array.MaxLength}).");
        }

        return new Shape(dims);
    }

    // A zero size anywhere gives an empty shape whatever the other sizes are (as PyTorch's torch.zeros(100000, 100000, 0)),
    // so the product is checked only when no size is zero: the order of the sizes does not matter.
    private static int[] Validate(int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape sizes must be non-negative, got {Format(dims)}.", nameof(dims));
            }
        }

        if (Count(dims) > Array.MaxLength)
        {
            throw new ArgumentException($"Shape {Format(dims)} holds more elements than an array can ({Array.MaxLength}).", nameof(dims));
        }

        return (int[])dims.Clone();
    }

    // The product of the sizes, exact up to 2^93 (every shape of rank 3 or less); a larger product stops there, which is
    // still far above Array.MaxLength. The first zero size makes it 0.
    private static Int128 Count(ReadOnlySpan<int> dims)
    {
        if (dims.Contains(0))
        {
            return 0;
        }

        Int128 count = 1, cap = Int128.One << 93;
        foreach (int d in dims)
        {
            count = Int128.Min(count * d, cap);
        }

        return count;
    }

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => _dims.Length;

    /// <summary>The number of elements: the product of the sizes (1 for a scalar).</summary>
    public int ElementCount { get; }

    /// <summary>The sizes, outermost first.</summary>
    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end, as in PyTorch.</summary>
    /// <param name="axis">The dimension index.</param>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c>.</exception>
    public int this[int axis] => _dims[NormalizeAxis(axis)];

    /// <summary>Maps a possibly negative axis into <c>[0, Rank)</c>.</summary>
    /// <param name="axis">The axis; <c>-1</c> is the last one.</param>
    /// <returns>The non-negative axis.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c>.</exception>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Axis {axis} is out of range for shape {this} of rank {Rank}.");
        }

        return a;
    }

    /// <summary>Row-major strides in elements: the last dimension has stride 1.</summary>
    /// <returns>A new array of strides.</returns>
    public int[] Strides()
    {
        var strides = new int[Rank];
        int s = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= _dims[i];
        }

        return strides;
    }

    /// <summary>Row-major strides, computed once per shape and shared; callers must not modify the array.</summary>
    internal int[] ContiguousStrides => _contiguousStrides ??= Strides();

    /// <summary>Returns a copy of the sizes.</summary>
    /// <returns>A new array.</returns>
    public int[] ToArray() => (int[])_dims.Clone();

    /// <inheritdoc/>
    public bool Equals(Shape? other)
    {
        if (other is null)
        {
            return false;
        }

        return ReferenceEquals(this, other) || _dims.AsSpan().SequenceEqual(other._dims);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (int d in _dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Formats the shape like <c>[2, 3]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Format(_dims);

    private static string Format(ReadOnlySpan<int> dims)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < dims.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(dims[i]);
        }

        return sb.Append(']').ToString();
    }

    /// <summary>True when both shapes have the same sizes.</summary>
    /// <param name="left">The first shape.</param>
    /// <param name="right">The second shape.</param>
    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>True when the shapes differ.</summary>
    /// <param name="left">The first shape.</param>
    /// <param name="right">The second shape.</param>
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);
}
