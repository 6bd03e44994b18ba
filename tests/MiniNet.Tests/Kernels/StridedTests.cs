using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>The strided copy kernels against a naive per-element walk, for permuted, sliced and expanded layouts.</summary>
public class StridedTests
{
    public static TheoryData<int[], int[], int> Layouts => new()
    {
        { [3, 4, 5], [20, 5, 1], 0 },       // contiguous: one run
        { [5, 4, 3], [1, 5, 20], 0 },       // full permutation
        { [3, 2, 5], [20, 5, 1], 7 },       // narrow of the middle dimension: rows of runs
        { [3, 4, 2], [20, 5, 2], 1 },       // every other column
        { [2, 3, 4], [0, 4, 1], 2 },        // expanded leading dimension
        { [3, 1, 4], [4, 99, 0], 0 },       // size-1 dimension with an arbitrary stride, expanded last
        { [1, 1, 1], [7, 3, 1], 5 },        // one element
        { [3, 0, 2], [6, 2, 1], 0 },        // empty
        { [], [], 4 },                      // rank 0
        { [130], [3], 1 },                  // a long strided run
        { [2, 131], [1, 2], 0 },            // transposed with a vector tail
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void GatherScatterAndAdds_MatchANaiveWalk(int[] dims, int[] strides, int offset)
    {
        int count = new Shape(dims).ElementCount;
        int span = offset + 1;
        for (int d = 0; d < dims.Length; d++)
        {
            span += Math.Max(dims[d] - 1, 0) * strides[d];
        }

        var rng = new Random(3);
        double[] storage = new double[span + 3];
        for (int i = 0; i < storage.Length; i++)
        {
            storage[i] = rng.Next(-50, 50);
        }

        int[] positions = Positions(dims, strides, offset);
        double[] dense = new double[count];
        Strided.Gather<double>(storage, offset, dims, strides, dense);
        for (int i = 0; i < count; i++)
        {
            dense[i].Should().Be(storage[positions[i]], $"gather element {i}");
        }

        double[] added = (double[])dense.Clone();
        Strided.GatherAdd<double>(storage, offset, dims, strides, added);
        for (int i = 0; i < count; i++)
        {
            added[i].Should().Be(2 * dense[i], $"gather-add element {i}");
        }

        double[] target = new double[storage.Length], expected = new double[storage.Length];
        for (int i = 0; i < count; i++)
        {
            expected[positions[i]] += i + 1;
            dense[i] = i + 1;
        }

        Strided.ScatterAdd<double>(dense, target, offset, dims, strides);
        target.Should().Equal(expected, "scatter-add sums the elements an expanded dimension repeats");

        if (Array.IndexOf(strides, 0) < 0 || count <= 1)
        {
            double[] written = (double[])storage.Clone();
            Strided.Scatter<double>(dense, written, offset, dims, strides);
            for (int i = 0; i < count; i++)
            {
                written[positions[i]].Should().Be(i + 1, $"scatter element {i}");
            }
        }
    }

    private static int[] Positions(int[] dims, int[] strides, int offset)
    {
        int count = new Shape(dims).ElementCount;
        int[] positions = new int[count];
        for (int flat = 0; flat < count; flat++)
        {
            int rest = flat, p = offset;
            for (int d = dims.Length - 1; d >= 0; d--)
            {
                p += (rest % dims[d]) * strides[d];
                rest /= dims[d];
            }

            positions[flat] = p;
        }

        return positions;
    }
}
