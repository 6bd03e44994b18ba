using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Matrix product: <c>[m, k] x [k, n] -> [m, n]</c>, or matrix-vector <c>[m, k] x [k] -> [m]</c>.
    /// Effectively <c>out[i, j] = sum_p a[i, p] * b[p, j]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">A 2-D tensor.</param>
    /// <param name="b">A 2-D or 1-D tensor whose first dimension equals <paramref name="a"/>'s last.</param>
    /// <returns>The product.</returns>
    /// <remarks>PyTorch: <c>torch.matmul</c> (2-D x 2-D and 2-D x 1-D cases) / <c>a @ b</c>. Backward computes
    /// <c>dA = G B^T</c> and <c>dB = A^T G</c> without materialising a transpose.</remarks>
    /// <exception cref="ArgumentException">Ranks are unsupported or inner dimensions differ; the message names both shapes.</exception>
    public static Tensor<T> MatMul<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || (b.Rank != 2 && b.Rank != 1))
        {
            throw new ArgumentException($"MatMul supports [m, k] x [k, n] and [m, k] x [k]; got {a.Shape} x {b.Shape}.");
        }

        int m = a.Shape.Dims[0], k = a.Shape.Dims[1], n = b.Rank == 2 ? b.Shape.Dims[1] : 1;
        if (b.Shape.Dims[0] != k)
        {
            throw new ArgumentException($"MatMul: inner dimensions differ: {a.Shape} x {b.Shape} ({k} vs {b.Shape.Dims[0]}).");
        }

        var output = Tensor<T>.Uninitialized(b.Rank == 2 ? Shape.OfResult("MatMul", a.Shape, " x ", b.Shape, m, n) : new Shape(m));
        Gemm.Multiply<T>(a.AsReadOnlySpan(), false, b.AsReadOnlySpan(), false, output.Span, m, n, k, accumulate: false);
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new MatMulBackward<T>(output, a, b, m, n, k));
        }

        return output;
    }
}

/// <summary>Backward of <c>A B</c>.</summary>
file sealed class MatMulBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _m, _n, _k;

    public MatMulBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b, int m, int n, int k)
        : base(output, a, b)
    {
        (_m, _n, _k) = (m, n, k);
        SaveForBackward(output: false, 0, 1);
    }

    public override string OpName => "MatMul";

    // C = A B  =>  dA = G B^T  ([m,n] x [n,k]),  dB = A^T G  ([k,m] x [m,n]).
    public override void Backward()
    {
        if (NeedsGrad(0))
        {
            Gemm.Multiply<T>(GradOutput, false, Inputs[1].AsReadOnlySpan(), true, GradFor(0), _m, _k, _n, accumulate: true);
        }

        if (NeedsGrad(1))
        {
            Gemm.Multiply<T>(Inputs[0].AsReadOnlySpan(), true, GradOutput, false, GradFor(1), _k, _n, _m, accumulate: true);
        }
    }

    // dA = G B^T, dB = A^T G; for a vector b (output [m]) dA = g b^T as an outer product.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> a = Inputs[0], b = Inputs[1];
        bool vector = b.Rank == 1;
        Tensor<T>? gradA = !NeedsGrad(0) ? null
            : vector ? gradOutput.Reshape(_m, 1).MatMul(b.Reshape(1, _k)) : gradOutput.MatMul(b.Transpose());
        Tensor<T>? gradB = NeedsGrad(1) ? a.Transpose().MatMul(gradOutput) : null;
        return [gradA, gradB];
    }
}
