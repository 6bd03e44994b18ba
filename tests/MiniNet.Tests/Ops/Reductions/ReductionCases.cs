using System;
using Xunit;

namespace MiniNet.Tests.Ops;

/// <summary>Shapes and (axis, keepDim) combinations shared by the reduction tests.</summary>
public static class ReductionCases
{
    /// <summary>Shapes of rank 0 to 4, with size-1 dimensions in every position.</summary>
    public static readonly int[][] Shapes =
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 1, 1 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 3, 1 },
        new[] { 2, 3, 4 }, new[] { 2, 1, 3 }, new[] { 2, 3, 1, 2 }, new[] { 1, 2, 1, 3 },
    };

    /// <summary>Every shape with every axis, negative ones included (a scalar takes 0 and -1), and keepDim both ways.</summary>
    public static TheoryData<int[], int, bool> ShapeAxisKeepDim
    {
        get
        {
            var data = new TheoryData<int[], int, bool>();
            foreach (int[] shape in Shapes)
            {
                int rank = Math.Max(shape.Length, 1);
                for (int axis = -rank; axis < rank; axis++)
                {
                    data.Add(shape, axis, false);
                    data.Add(shape, axis, true);
                }
            }

            return data;
        }
    }

    /// <summary>The shapes, for whole-tensor reductions.</summary>
    public static TheoryData<int[]> AllShapes
    {
        get
        {
            var data = new TheoryData<int[]>();
            foreach (int[] shape in Shapes)
            {
                data.Add(shape);
            }

            return data;
        }
    }
}
