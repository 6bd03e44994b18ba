using System;

namespace MiniNet;

/// <summary>
/// A reduction over several axes: the input shape with size 1 on each reduced axis (<see cref="Kept"/>, which
/// broadcasts against the input), the result's shape (<see cref="Kept"/> or with those axes dropped), and how many
/// elements each result sums over.
/// </summary>
internal sealed record ReducedAxes(Shape Input, Shape Kept, Shape Output, int Count)
{
    /// <summary>
    /// Validates <paramref name="axes"/> (negative counts from the end; each at most once; null or empty means every
    /// axis, as PyTorch's <c>dim=None</c> / <c>dim=[]</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside <c>[-Rank, Rank)</c>; the message names the op and shape.</exception>
    /// <exception cref="ArgumentException">An axis appears twice.</exception>
    public static ReducedAxes Of(Shape shape, int[]? axes, bool keepDim, string op)
    {
        int rank = shape.Rank;
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            Array.Fill(reduced, true);
        }
        else
        {
            foreach (int axis in axes)
            {
                _ = AxisLayout.Of(shape, axis, op, out int a);
                if (rank == 0)
                {
                    continue;
                }

                if (reduced[a])
                {
                    throw new ArgumentException($"{op}: axis {a} appears more than once in [{string.Join(", ", axes)}] (shape {shape}).", nameof(axes));
                }

                reduced[a] = true;
            }
        }

        int[] kept = shape.ToArray();
        int outRank = 0, count = 1;
        for (int d = 0; d < rank; d++)
        {
            if (reduced[d])
            {
                count *= kept[d];
                kept[d] = 1;
            }
            else
            {
                outRank++;
            }
        }

        var output = new int[outRank];
        for (int d = 0, k = 0; d < rank; d++)
        {
            if (!reduced[d])
            {
                output[k++] = shape.Dims[d];
            }
        }

        Shape keptShape = Shape.Of(kept);
        return new ReducedAxes(shape, keptShape, keepDim ? keptShape : Shape.Of(output), count);
    }

    /// <summary>The reduced axes (every axis of size 1 in <see cref="Kept"/>; reducing a size-1 axis changes nothing), for ops taking an axis list.</summary>
    public int[] ReducedAxisList()
    {
        var list = new System.Collections.Generic.List<int>();
        for (int d = 0; d < Kept.Rank; d++)
        {
            if (Kept.Dims[d] == 1)
            {
                list.Add(d);
            }
        }

        return [.. list];
    }
}
