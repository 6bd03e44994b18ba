using System;

namespace MiniNet;

/// <summary>Argument checks shared by the view ops, with messages naming the op, the argument and the shape.</summary>
internal static class ViewArguments
{
    /// <summary>Maps a possibly negative dimension of a rank-<paramref name="rank"/> tensor into <c>[0, rank)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is outside <c>[-rank, rank)</c>.</exception>
    public static int Dim(string op, Shape shape, int dim, string parameter, int rank = -1)
    {
        rank = rank < 0 ? shape.Rank : rank;
        int d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)rank)
        {
            throw new ArgumentOutOfRangeException(parameter, dim,
                $"{op}: dimension {dim} is out of range for a tensor of shape {shape} (expected a dimension in [{-rank}, {rank - 1}]).");
        }

        return d;
    }

    /// <summary>Formats sizes or strides like <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> values) => "[" + string.Join(", ", values.ToArray()) + "]";
}
