using System;

namespace MiniNet;

/// <summary>
/// A tensor viewed along one axis as <c>[Outer, Length, Inner]</c>: <c>Outer</c> is the product of the sizes before the
/// axis, <c>Length</c> the axis size, <c>Inner</c> the product of the sizes after it. Element <c>(o, k, i)</c> sits at
/// <c>o * Length * Inner + k * Inner + i</c>, so the Length values of one slice are <c>Inner</c> apart. The one axis-split
/// helper: softmax-family kernels use it directly, reductions through <see cref="Reduce.Split"/>.
/// </summary>
internal readonly record struct AxisLayout(int Outer, int Length, int Inner)
{
    /// <summary>The layout of <paramref name="shape"/> along <paramref name="axis"/> (negative counts from the end).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c>; the message names the op and the shape.</exception>
    public static AxisLayout Of(Shape shape, int axis, string op) => Of(shape, axis, op, out _);

    /// <summary>As <see cref="Of(Shape, int, string)"/>, also returning the normalised axis (0 for a scalar).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside <c>[-Rank, Rank)</c>; the message names the op and the shape.</exception>
    public static AxisLayout Of(Shape shape, int axis, string op, out int normalized)
    {
        // A scalar is a one-element slice along axis 0 or -1, as torch.softmax(scalar, 0) treats it.
        int rank = Math.Max(shape.Rank, 1);
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            if (shape.Rank == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{op}: axis {axis} is out of range for a scalar (shape []); use 0 or -1.");
            }

            throw new ArgumentOutOfRangeException(
                nameof(axis), axis, $"{op}: axis {axis} is out of range for shape {shape}; valid axes are {-rank} to {rank - 1}.");
        }

        normalized = a;
        if (shape.Rank == 0)
        {
            return new AxisLayout(1, 1, 1);
        }

        ReadOnlySpan<int> dims = shape.Dims;
        int outer = 1, inner = 1;
        for (int d = 0; d < a; d++)
        {
            outer *= dims[d];
        }

        for (int d = a + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        return new AxisLayout(outer, dims[a], inner);
    }

    /// <summary>The number of elements in one outer block: <c>Length * Inner</c>.</summary>
    public int Block => Length * Inner;
}
