using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The matrix transpose: <c>out[j, i] = x[i, j]</c> for a 2-D <c>[m, n]</c> input, giving <c>[n, m]</c>.
    /// Rank-0 and rank-1 tensors come back unchanged (as a copy), as with PyTorch's <c>t()</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">A tensor of rank 2 or less.</param>
    /// <returns>A new, contiguous tensor.</returns>
    /// <remarks>PyTorch: <c>x.t()</c> / <c>x.T</c> on a matrix. PyTorch returns a strided view; MiniNet copies. Backward transposes the gradient.</remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> has rank above 2.</exception>
    public static Tensor<T> Transpose<T>(this Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank > 2)
        {
            throw new ArgumentException($"Transpose works on tensors of rank 2 or less (matrices); got shape {x.Shape}. Reshape first.", nameof(x));
        }

        int m = x.Rank == 2 ? x.Shape.Dims[0] : 1, n = x.Rank == 2 ? x.Shape.Dims[1] : x.Count;
        var output = new Tensor<T>(x.Rank == 2 ? new Shape(n, m) : x.Shape);
        TransposeOperator.Transpose(x.AsReadOnlySpan(), output.Span, m, n, accumulate: false);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new TransposeBackward<T>(output, x, m, n));
        }

        return output;
    }
}

/// <summary>Backward of a matrix transpose.</summary>
file sealed class TransposeBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _m, _n;

    public TransposeBackward(Tensor<T> output, Tensor<T> x, int m, int n)
        : base(output, x)
    {
        (_m, _n) = (m, n);
        SaveForBackward(output: false);
    }

    public override string OpName => "Transpose";

    // out[j, i] = x[i, j], so d out[j, i] / dx[i, j] = 1: grad[i, j] += g[j, i], a transpose of the [n, m] gradient.
    public override void Backward() => TransposeOperator.Transpose(GradOutput, GradFor(0), _n, _m, accumulate: true);

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [gradOutput.Transpose()];
}

/// <summary>Blocked transpose of a row-major <c>[rows, cols]</c> matrix into <c>[cols, rows]</c>.</summary>
file static class TransposeOperator
{
    // Tiles keep both the rows read and the rows written in cache for large matrices.
    private const int Block = 32;

    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int cols, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i0 = 0; i0 < rows; i0 += Block)
        {
            int i1 = Math.Min(i0 + Block, rows);
            for (int j0 = 0; j0 < cols; j0 += Block)
            {
                int j1 = Math.Min(j0 + Block, cols);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        T v = source[(i * cols) + j];
                        destination[(j * rows) + i] = accumulate ? destination[(j * rows) + i] + v : v;
                    }
                }
            }
        }
    }
}
