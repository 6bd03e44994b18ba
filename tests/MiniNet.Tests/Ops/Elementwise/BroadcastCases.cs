using System;
using Xunit;

namespace MiniNet.Tests.Ops;

/// <summary>Every broadcasting pattern the binary elementwise ops must handle, as (left shape, right shape).</summary>
public static class BroadcastCases
{
    private static readonly int[] Scalar = Array.Empty<int>();

    /// <summary>The pairs, each also exercised with the operands swapped by listing both orders.</summary>
    public static TheoryData<int[], int[]> Pairs => new()
    {
        { new[] { 4, 3 }, new[] { 4, 3 } },         // equal shapes
        { Scalar, Scalar },                          // rank 0 with rank 0
        { Scalar, new[] { 4, 3 } },                  // scalar on the left
        { new[] { 4, 3 }, Scalar },                  // scalar on the right
        { new[] { 4, 3 }, new[] { 3 } },             // bias row
        { new[] { 3 }, new[] { 4, 3 } },
        { new[] { 4, 3 }, new[] { 4, 1 } },          // column
        { new[] { 4, 1 }, new[] { 4, 3 } },
        { new[] { 4, 1 }, new[] { 1, 3 } },          // outer product pattern: both expand
        { new[] { 2, 1, 4 }, new[] { 3, 1 } },       // both expand, different ranks
        { new[] { 3, 1 }, new[] { 2, 1, 4 } },
        { Scalar, new[] { 2, 3, 4 } },               // rank 0 with rank 3
        { new[] { 2, 3, 4 }, Scalar },
        { new[] { 2, 3, 4 }, new[] { 3, 4 } },       // trailing block
        { new[] { 2, 3, 4 }, new[] { 1, 3, 1 } },
        { new[] { 1 }, new[] { 5 } },                // size-1 dimensions
        { new[] { 1, 1 }, new[] { 5 } },
        { new[] { 1 }, Scalar },
        { new[] { 1, 3 }, new[] { 4, 3 } },
        { new[] { 0, 3 }, new[] { 3 } },             // empty
        { new[] { 3 }, new[] { 0, 3 } },
        { new[] { 0, 3 }, new[] { 0, 1 } },
        { new[] { 0, 3 }, Scalar },
    };

    /// <summary>Keeps a sample at least 0.5 away from 0 (for divisors).</summary>
    public static double AwayFromZero(double v) => v >= 0 ? v + 0.5 : v - 0.5;
}
