using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The cases of <see cref="MatMul{T}(Tensor{T}, Tensor{T})"/> beyond matrix x matrix and matrix x vector: 1-D
    /// operands and batched ones with broadcast batch dimensions (torch.matmul's rules).
    /// </summary>
    private static Tensor<T> BatchedMatMul<T>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw new ArgumentException($"MatMul needs operands of rank 1 or more (as torch.matmul); got {a.Shape} x {b.Shape}.");
        }

        // A vector on the left is a [1, k] row, on the right a [k, 1] column; those dimensions leave the result.
        Shape aShape = a.Rank == 1 ? new Shape(1, a.Count) : a.Shape;
        Shape bShape = b.Rank == 1 ? new Shape(b.Count, 1) : b.Shape;
        var layout = MatMulLayout.Create(a.Shape, b.Shape, aShape, false, bShape, false);
        Shape outputShape = (a.Rank, b.Rank) switch
        {
            (1, 1) => Shape.Scalar,
            (1, _) => Shape.Of([.. layout.Batch, layout.N]),
            (_, 1) => Shape.Of([.. layout.Batch, layout.M]),
            _ => new Shape(layout.BatchedDims(layout.M, layout.N)),
        };
        return BatchedMatMul(a, b, layout, outputShape);
    }

    /// <summary>
    /// <c>op(A) op(B)</c> over <paramref name="layout"/>, shaped <paramref name="outputShape"/> (its element count is the
    /// batch count times m n): the recorded op the public entry and the differentiable backward share.
    /// </summary>
    internal static Tensor<T> BatchedMatMul<T>(Tensor<T> a, Tensor<T> b, MatMulLayout layout, Shape outputShape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var output = Tensor<T>.Uninitialized(outputShape);
        GemmBatched.Multiply(layout, a.KernelReadSpan, b.KernelReadSpan, output.KernelWriteSpan);
        if (Tape.ShouldRecord(a, b))
        {
            Tape.Record(new BatchedMatMulBackward<T>(output, a, b, layout));
        }

        return output;
    }
}

/// <summary>Backward of a batched <c>op(A) op(B)</c> (<see cref="MatMulLayout"/>).</summary>
file sealed class BatchedMatMulBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly MatMulLayout _layout;

    public BatchedMatMulBackward(Tensor<T> output, Tensor<T> a, Tensor<T> b, MatMulLayout layout)
        : base(output, a, b)
    {
        _layout = layout;
        SaveForBackward(output: false, 0, 1);
    }

    public override string OpName => "MatMul";

    // C[b] = A'[b] B'[b] (A' = op(A), B' = op(B))  =>  dA'[b] = G[b] B'[b]^T, dB'[b] = A'[b]^T G[b], each summed over the
    // batch elements that share one matrix of a broadcast operand.
    public override void Backward() =>
        GemmBatched.Backward(
            _layout, Inputs[0].KernelReadSpan, Inputs[1].KernelReadSpan, GradOutput,
            NeedsGrad(0) ? GradFor(0) : default, NeedsGrad(1) ? GradFor(1) : default);

    // The same rule with recorded batched products (so differentiable again), then Derivatives.SumTo over the broadcast
    // batch dimensions: with A stored transposed, dA = (G B'^T)^T = B' G^T; with B stored transposed, dB = G^T A'.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        MatMulLayout l = _layout;
        Tensor<T> a = Inputs[0], b = Inputs[1];
        Shape gShape = new(l.BatchedDims(l.M, l.N));
        Tensor<T>? gradA = null, gradB = null;
        if (NeedsGrad(0))
        {
            gradA = l.TransposeA
                ? Product(b, l.BShape, l.TransposeB, gradOutput, gShape, true)
                : Product(gradOutput, gShape, false, b, l.BShape, !l.TransposeB);
            gradA = Fit(gradA, l.AShape, a.Shape);
        }

        if (NeedsGrad(1))
        {
            gradB = l.TransposeB
                ? Product(gradOutput, gShape, true, a, l.AShape, l.TransposeA)
                : Product(a, l.AShape, !l.TransposeA, gradOutput, gShape, false);
            gradB = Fit(gradB, l.BShape, b.Shape);
        }

        return [gradA, gradB];

        Tensor<T> Product(Tensor<T> x, Shape xShape, bool tx, Tensor<T> y, Shape yShape, bool ty)
        {
            var layout = MatMulLayout.Create(xShape, yShape, xShape, tx, yShape, ty);
            return Ops.BatchedMatMul(x, y, layout, new Shape(layout.BatchedDims(layout.M, layout.N)));
        }

        // Sums the full-batch gradient over the dimensions the operand was broadcast along, back to its own shape.
        static Tensor<T> Fit(Tensor<T> grad, Shape stored, Shape shape)
        {
            Tensor<T> summed = Derivatives.SumTo(grad, stored);
            return summed.Shape == shape ? summed : summed.Reshape(shape.ToArray());
        }
    }
}
