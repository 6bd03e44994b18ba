using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

[Collection(MiniNet.Tests.Reliability.ProcessMemoryCollection.Name)] // its pool and allocation checks are process-wide
public class MatMulTests
{
    public static TheoryData<int[], int[]> Shapes => new()
    {
        { new[] { 1, 1 }, new[] { 1, 1 } },
        { new[] { 1, 5 }, new[] { 5, 1 } },     // 1xk by kx1: a dot product
        { new[] { 5, 1 }, new[] { 1, 4 } },     // kx1 by 1xk: an outer product
        { new[] { 1, 5 }, new[] { 5, 3 } },
        { new[] { 4, 3 }, new[] { 3, 1 } },
        { new[] { 4, 3 }, new[] { 3, 5 } },
        { new[] { 7, 9 }, new[] { 9, 6 } },
        { new[] { 17, 33 }, new[] { 33, 9 } },  // lengths past every vector width, with tails
        { new[] { 0, 3 }, new[] { 3, 4 } },     // 0-sized dimensions
        { new[] { 3, 0 }, new[] { 0, 4 } },
        { new[] { 3, 4 }, new[] { 4, 0 } },
        { new[] { 4, 3 }, new[] { 3 } },        // matrix-vector
        { new[] { 1, 1 }, new[] { 1 } },
        { new[] { 1, 6 }, new[] { 6 } },
        { new[] { 6, 1 }, new[] { 1 } },
        { new[] { 0, 3 }, new[] { 3 } },
        { new[] { 3, 0 }, new[] { 0 } },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_MatchesTorch_Double(int[] left, int[] right) =>
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_MatchesTorch_Float(int[] left, int[] right) =>
        OpCheck<float>.AgainstTorch(
            new[] { left, right },
            xs => xs[0].MatMul(xs[1]),
            ts => ts[0].matmul(ts[1]),
            tolerance: left[1] >= 30 ? Tolerances.TorchFloatLongSums : Tolerances.TorchFloat); // long float dot products: see the constant

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void OnlyOneInputRequiresGrad_MatchesTorch(bool leftGrad, bool rightGrad) =>
        OpCheck<double>.AgainstTorch(new[] { new[] { 4, 3 }, new[] { 3, 2 } }, xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), gradInputs: new[] { leftGrad, rightGrad });

    [Fact]
    public void TransposedViewOperands_AreReadInPlace_WithoutACopy()
    {
        // a.T (strides [1, rows]) feeds GEMM as the stored matrix with its transpose flag: the forward allocates about
        // the [200, 4] output, never the 480 KB row-major copy a gather of the [200, 300] view would take.
        var rng = new Rng(3);
        Tensor<double> a = Tensor.Randn<double>(rng, 300, 200), b = Tensor.Randn<double>(rng, 4, 300);
        using (MiniNet.Autograd.NoGrad())
        {
            _ = a.Transpose().MatMul(b.Transpose()); // warm up the JIT and the packing buffers
            long before = GC.GetAllocatedBytesForCurrentThread();
            Tensor<double> product = a.Transpose().MatMul(b.Transpose());
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            allocated.Should().BeLessThan(300 * 200 * sizeof(double) / 4, "neither transposed operand may be gathered into a copy");
            product[7, 2].Should().BeApproximately(Enumerable.Range(0, 300).Sum(i => a[i, 7] * b[2, i]), 1e-9);
        }
    }

    [Fact]
    public void LargeUndisposedOutputs_InALoop_ReuseArrays_AndStayCorrect()
    {
        // [151, 160] x [160, 150]: 22,650 floats, past StoragePool.MinLength, a length no other test uses. The GEMM
        // reads and writes through kernel spans, so the outputs stay tracked (and their arrays get reused once
        // garbage), and so does an output consumed as the next product's operand.
        const int m = 151, k = 160, n = 150;
        Tensor<float> a = Tensor.Full(1f, m, k), b = Tensor.Full(0.5f, k, n), square = Tensor.Full(0.25f, n, n);
        using (MiniNet.Autograd.NoGrad())
        {
            for (int i = 0; i < 40; i++)
            {
                _ = a.MatMul(b);
            }

            int fresh = StoragePool<float>.FreshArrays(m * n), tracked = 0, wrong = 0;
            for (int i = 0; i < 100; i++)
            {
                Tensor<float> c = a.MatMul(b), d = c.MatMul(square);
                tracked += c.IsStorageTracked && d.IsStorageTracked ? 1 : 0;
                wrong += c.KernelReadSpan.IndexOfAnyExcept(80f) >= 0 || d.KernelReadSpan.IndexOfAnyExcept(3000f) >= 0 ? 1 : 0;
            }

            tracked.Should().Be(100, "MatMul uses kernel spans for its operands and its output");
            wrong.Should().Be(0, "a recycled array is fully overwritten (c = 160 * 0.5, d = 150 * 0.25 * 80)");
            // The bucket for this length holds at most 16 arrays in rotation (StoragePool.MaxPerLength; 16 MB / 90.6 KB
            // is more) and 16 resident ones (leases that survived two forced collections: a, b, square, and an output
            // that was still in a variable at two of them). While it is not full a rent that finds no dead lease yet
            // (no collection has run since the last output died) takes a fresh array, so the count after the warm-up can
            // still grow (seen before resident leases: 12 -> 16, when other tests' collections had revealed dead
            // leases early, and 18 with them); the 200 rents here must not go past the bucket's 32.
            fresh.Should().BeLessThanOrEqualTo(32);
            StoragePool<float>.FreshArrays(m * n).Should().BeLessThanOrEqualTo(32, "200 outputs reuse a bounded set of arrays");
        }
    }

    [Fact]
    public void Throws_OnInnerMismatch_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros<double>(2, 3).MatMul(Tensor.Zeros<double>(4, 5));
        act.Should().Throw<ArgumentException>().WithMessage("*MatMul*[2, 3]*[4, 5]*");
        Action vector = () => Tensor.Zeros<double>(2, 3).MatMul(Tensor.Zeros<double>(4));
        vector.Should().Throw<ArgumentException>().WithMessage("*MatMul*[2, 3]*[4]*");
    }

    [Fact]
    public void Throws_OnScalarOperand_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros<float>(3).MatMul(Tensor.Ones<float>(2).Sum());
        act.Should().Throw<ArgumentException>().WithMessage("*MatMul*[3]*[]*");
    }
}
