using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using MiniNet.Tests.Ops.Convolution;
using Xunit;

namespace MiniNet.Tests.Ops;

/// <summary>torch.matmul's 1-D and batched cases (issue 11): forward, gradients summed over broadcast batch dimensions, second order.</summary>
public class BatchedMatMulTests
{
    public static TheoryData<int[], int[]> Shapes => new()
    {
        { new[] { 5 }, new[] { 5 } },                   // dot product -> scalar
        { new[] { 1 }, new[] { 1 } },
        { new[] { 4 }, new[] { 4, 3 } },                // vector x matrix -> [n]
        { new[] { 2, 3, 4 }, new[] { 2, 4, 5 } },       // 3-D x 3-D
        { new[] { 2, 3, 4 }, new[] { 4, 5 } },          // 3-D x 2-D: folds into one GEMM
        { new[] { 3, 4 }, new[] { 2, 4, 5 } },          // 2-D x 3-D: A broadcast over the batch
        { new[] { 1, 3, 4 }, new[] { 2, 4, 5 } },       // size-1 batch dimension broadcast
        { new[] { 2, 3, 4 }, new[] { 1, 4, 5 } },
        { new[] { 2, 3, 4 }, new[] { 4 } },             // batched matrix x vector
        { new[] { 4 }, new[] { 2, 4, 5 } },             // vector x batched matrix
        { new[] { 2, 1, 3, 4 }, new[] { 5, 4, 2 } },    // 4-D x 3-D: batch [2, 1] with [5] -> [2, 5]
        { new[] { 2, 3, 3, 4 }, new[] { 2, 3, 4, 2 } }, // 4-D x 4-D
        { new[] { 3, 1, 2, 4 }, new[] { 1, 2, 4, 3 } }, // both broadcast
        { new[] { 2, 3, 5, 4 }, new[] { 4, 3 } },
        { new[] { 2, 9, 17 }, new[] { 2, 17, 11 } },     // past every vector width, with tails
        { new[] { 0, 3, 4 }, new[] { 4, 5 } },          // 0-sized dimensions
        { new[] { 2, 3, 0 }, new[] { 2, 0, 4 } },
        { new[] { 2, 0, 4 }, new[] { 1, 4, 3 } },
        { new[] { 0 }, new[] { 0 } },
    };

    /// <summary>Enough work for the packed (and, with 2 threads, split) GEMM paths, broadcast and folded.</summary>
    public static TheoryData<int[], int[]> LargeShapes => new()
    {
        { new[] { 3, 40, 50 }, new[] { 50, 36 } },
        { new[] { 2, 1, 40, 33 }, new[] { 3, 33, 24 } },
        { new[] { 24, 40 }, new[] { 2, 40, 30 } },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    [MemberData(nameof(LargeShapes))]
    public void MatchesTorch_Double(int[] left, int[] right) =>
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]));

    // Long float sums (see the constant): its sqrt(n) * 6e-8 / 1e-3 argument already gives 2e-4 at n = 11, measured on
    // [2, 9, 17] x [2, 17, 11]: an element of dA (11 terms) at 2.25e-3 of a tensor of scale ~5 differed by 1.4e-5 of itself.
    [Theory]
    [MemberData(nameof(Shapes))]
    [MemberData(nameof(LargeShapes))]
    public void MatchesTorch_Float(int[] left, int[] right) =>
        OpCheck<float>.AgainstTorch(
            new[] { left, right },
            xs => xs[0].MatMul(xs[1]),
            ts => ts[0].matmul(ts[1]),
            tolerance: left.Concat(right).Max() >= 10 ? Tolerances.TorchFloatLongSums : Tolerances.TorchFloat);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SecondOrder_MatchesTorch(int[] left, int[] right) =>
        SecondOrderCheck.AgainstTorch(new[] { left, right }, xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void OnlyOneInputRequiresGrad_MatchesTorch(bool leftGrad, bool rightGrad)
    {
        OpCheck<double>.AgainstTorch(new[] { new[] { 2, 1, 3, 4 }, new[] { 5, 4, 2 } }, xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), gradInputs: new[] { leftGrad, rightGrad });
        SecondOrderCheck.AgainstTorch(new[] { new[] { 2, 3, 4 }, new[] { 4, 2 } }, xs => xs[0].MatMul(xs[1]), ts => ts[0].matmul(ts[1]), gradInputs: new[] { leftGrad, rightGrad });
    }

    /// <summary>A product of products, differentiated twice: the gradients of the inner product are batched products themselves.</summary>
    [Fact]
    public void Chain_SecondOrder_MatchesTorch() =>
        SecondOrderCheck.AgainstTorch(
            new[] { new[] { 2, 3, 4 }, new[] { 4, 2 }, new[] { 2, 2, 5 } },
            xs => xs[0].MatMul(xs[1]).MatMul(xs[2]).Tanh(),
            ts => ts[0].matmul(ts[1]).matmul(ts[2]).tanh());

    /// <summary>Non-contiguous operands (a transposed, a sliced and an expanded view): same values and gradients into the bases.</summary>
    [Fact]
    public void ViewOperands_MatchTorch()
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 4, 3 }, new[] { 2, 5, 4 } },
            xs => xs[0].Transpose(1, 2).MatMul(xs[1].Transpose(1, 2)),
            ts => ts[0].transpose(1, 2).matmul(ts[1].transpose(1, 2)));
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 3, 6, 4 }, new[] { 1, 4, 5 } },
            xs => xs[0].Narrow(1, 1, 3).MatMul(xs[1].Expand(3, 4, 5)),
            ts => ts[0].narrow(1, 1, 3).matmul(ts[1].expand(3, 4, 5)));
        SecondOrderCheck.AgainstTorch(
            new[] { new[] { 2, 4, 3 }, new[] { 4, 2 } },
            xs => xs[0].Transpose(1, 2).MatMul(xs[1]),
            ts => ts[0].transpose(1, 2).matmul(ts[1]));
    }

    [Fact]
    public void OutputShapes_FollowTorchMatmul()
    {
        static int[] Shape(int[] left, int[] right) => Tensor.Zeros<double>(left).MatMul(Tensor.Zeros<double>(right)).Shape.ToArray();
        Shape(new[] { 3 }, new[] { 3 }).Should().BeEmpty();
        Shape(new[] { 3 }, new[] { 3, 2 }).Should().Equal(2);
        Shape(new[] { 4, 2, 3 }, new[] { 3 }).Should().Equal(4, 2);
        Shape(new[] { 3 }, new[] { 4, 3, 2 }).Should().Equal(4, 2);
        Shape(new[] { 2, 1, 5, 3 }, new[] { 7, 3, 4 }).Should().Equal(2, 7, 5, 4);
    }

    [Fact]
    public void Throws_OnInnerMismatch_NamingBothShapes()
    {
        Action batched = () => Tensor.Zeros<double>(2, 3, 4).MatMul(Tensor.Zeros<double>(2, 5, 6));
        batched.Should().Throw<ArgumentException>().WithMessage("*MatMul*[2, 3, 4]*[2, 5, 6]*");
        Action dot = () => Tensor.Zeros<float>(3).MatMul(Tensor.Zeros<float>(4));
        dot.Should().Throw<ArgumentException>().WithMessage("*MatMul*[3]*[4]*");
        Action vectorLeft = () => Tensor.Zeros<float>(3).MatMul(Tensor.Zeros<float>(2, 4, 5));
        vectorLeft.Should().Throw<ArgumentException>().WithMessage("*MatMul*[3]*[2, 4, 5]*");
    }

    [Fact]
    public void Throws_OnBatchMismatch_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros<double>(2, 3, 4).MatMul(Tensor.Zeros<double>(3, 4, 5));
        act.Should().Throw<ArgumentException>().WithMessage("*MatMul*batch*[2, 3, 4]*[3, 4, 5]*");
        Action fourD = () => Tensor.Zeros<double>(2, 2, 3, 4).MatMul(Tensor.Zeros<double>(3, 1, 4, 5));
        fourD.Should().Throw<ArgumentException>().WithMessage("*MatMul*batch*[2, 2, 3, 4]*[3, 1, 4, 5]*");
    }

    [Fact]
    public void Values_MatchAHandComputedBatch()
    {
        // [2, 2, 2] x [2, 2]: each batch element times the same matrix.
        var a = Tensor.FromArray(Enumerable.Range(1, 8).Select(v => (double)v).ToArray(), 2, 2, 2);
        var b = Tensor.FromArray(new double[] { 1, 0, 1, 1 }, 2, 2);
        a.MatMul(b).ToArray().Should().Equal(3, 2, 7, 4, 11, 6, 15, 8);
    }
}

/// <summary>Batched products split across threads give the same bits as one thread (the GEMM splits C, never a sum).</summary>
[Collection(MaxThreadsCollection.Name)]
public class BatchedMatMulThreadsTests
{
    [Fact]
    public void TwoThreads_GiveTheSameAsOne()
    {
        var rng = new Rng(3);
        Tensor<float> a = Tensor.Randn<float>(rng, 2, 1, 96, 64), b = Tensor.Randn<float>(rng, 3, 64, 80);
        int saved = MiniNetSettings.MaxThreads;
        try
        {
            MiniNetSettings.MaxThreads = 1;
            float[] one = a.MatMul(b).ToArray();
            MiniNetSettings.MaxThreads = 2;
            float[] two = a.MatMul(b).ToArray();
            two.Should().Equal(one);
        }
        finally
        {
            MiniNetSettings.MaxThreads = saved;
        }
    }
}
