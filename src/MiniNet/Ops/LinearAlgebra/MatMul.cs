using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Matrix product with torch.matmul's rules: <c>[m, k] x [k, n] -> [m, n]</c>, matrix-vector
    /// <c>[m, k] x [k] -> [m]</c>, vector-matrix <c>[k] x [k, n] -> [n]</c>, the dot product <c>[k] x [k] -> []</c>, and
    /// batched products of 3-D, 4-D (any rank) operands, <c>[..., m, k] x [..., k, n] -> [..., m, n]</c>, whose batch
    /// dimensions broadcast (<c>[2, 1, m, k] x [3, k, n] -> [2, 3, m, n]</c>; a 1-D operand gets a 1 prepended (left)
    /// or appended (right), which is removed from the result). Effectively <c>out[.., i, j] = sum_p a[.., i, p] * b[.., p, j]</c>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">A tensor of rank 1 or more.</param>
    /// <param name="b">A tensor of rank 1 or more whose rows (second-to-last dimension, or only one) match <paramref name="a"/>'s last.</param>
    /// <returns>The product.</returns>
    /// <remarks>PyTorch: <c>torch.matmul</c> / <c>a @ b</c>. Backward computes <c>dA = G B^T</c> and <c>dB = A^T G</c>
    /// without materialising a transpose, summed over the batch dimensions an operand was broadcast along.</remarks>
    /// <exception cref="ArgumentException">An operand is 0-D, the inner dimensions differ or the batch dimensions do not
    /// broadcast; the message names both shapes.</exception>
    public static Tensor<T> MatMul<T>(this Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || (b.Rank != 2 && b.Rank != 1))
        {
            return BatchedMatMul(a, b); // 1-D and batched operands (BatchedMatMul.cs)
        }

        int m = a.Shape.Dims[0], k = a.Shape.Dims[1], n = b.Rank == 2 ? b.Shape.Dims[1] : 1;
        if (b.Shape.Dims[0] != k)
        {
            throw new ArgumentException($"MatMul: inner dimensions differ: {a.Shape} x {b.Shape} ({k} vs {b.Shape.Dims[0]}).");
        }

        var output = Tensor<T>.Uninitialized(b.Rank == 2 ? Shape.OfResult("MatMul", a.Shape, " x ", b.Shape, m, n) : new Shape(m));
        MatMulBackward<T>.Forward(a, b, output, m, n, k);
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

    public override bool CanReplayForward => true;

    /// <summary>The forward kernel, shared by the op and a captured step's replay: <c>C = A B</c>, overwritten.</summary>
    /// <remarks>
    /// Through kernel spans only, so a large output (1-4 MB at 512² -1024² float) stays tracked by StoragePool and
    /// goes back to it once garbage, instead of a fresh large-object-heap array per product (gen-2 collections);
    /// the three tensors are kept reachable until the GEMM is done (see StoragePool).
    /// </remarks>
    public static void Forward(Tensor<T> a, Tensor<T> b, Tensor<T> output, int m, int n, int k)
    {
        Gemm.Multiply<T>(Operand(a, out bool ta), ta, Operand(b, out bool tb), tb, output.KernelWriteSpan, m, n, k, accumulate: false);
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(output);
    }

    public override void ReplayForward() => Forward(Inputs[0], Inputs[1], Output, _m, _n, _k);

    // C = A B  =>  dA = G B^T  ([m,n] x [n,k]),  dB = A^T G  ([k,m] x [m,n]).
    public override void Backward()
    {
        if (NeedsGrad(0))
        {
            Gemm.Multiply<T>(GradOutput, false, Operand(Inputs[1], out bool tb), !tb, GradFor(0), _m, _k, _n, accumulate: true);
        }

        if (NeedsGrad(1))
        {
            Gemm.Multiply<T>(Operand(Inputs[0], out bool ta), !ta, GradOutput, false, GradFor(1), _k, _n, _m, accumulate: true);
        }

        GC.KeepAlive(this); // holds the inputs whose kernel spans were read
    }

    // A GEMM operand: a contiguous matrix through its kernel span (it stays poolable, see StoragePool), else
    // MatrixSpan (a transposed view read in place, or a gathered copy).
    private static ReadOnlySpan<T> Operand(Tensor<T> matrix, out bool transposed)
    {
        if (matrix.IsContiguous)
        {
            transposed = false;
            return matrix.KernelReadSpan;
        }

        return matrix.MatrixSpan(out transposed);
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
