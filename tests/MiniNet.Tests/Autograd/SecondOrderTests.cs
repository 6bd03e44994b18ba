using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace MiniNet.Tests.Autograd;

/// <summary>Second derivatives of every op and loss against TorchSharp (create_graph=true), fast vs differentiable, and GradGrad.</summary>
public class SecondOrderTests
{
    internal static double Positive(double z) => 0.5 + Math.Abs(z);

    internal static double Probability(double z) => 0.05 + (0.9 / (1 + Math.Exp(-z)));

    /// <summary>The TorchSharp name of a MiniNet reduction (the same three: mean over elements, sum, none).</summary>
    internal static nn.Reduction TorchReduction(Reduction reduction) =>
        reduction switch { Reduction.Mean => nn.Reduction.Mean, Reduction.Sum => nn.Reduction.Sum, _ => nn.Reduction.None };

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 1 }, new[] { 2, 1 })]
    public void Binary(int[] a, int[] b)
    {
        SecondOrderCheck.AgainstTorch([a, b], x => x[0].Add(x[1]), t => t[0] + t[1]);
        SecondOrderCheck.AgainstTorch([a, b], x => x[0].Sub(x[1]), t => t[0] - t[1]);
        SecondOrderCheck.AgainstTorch([a, b], x => x[0].Mul(x[1]), t => t[0] * t[1]);
        SecondOrderCheck.AgainstTorch([a, b], x => x[0].Div(x[1]), t => t[0] / t[1], sample: Positive);
    }

    [Fact]
    public void Scalars()
    {
        SecondOrderCheck.AgainstTorch([[2, 3]], x => x[0].Mul(-1.5).Add(0.25), t => (t[0] * -1.5) + 0.25);
        SecondOrderCheck.AgainstTorch([[5]], x => x[0].Neg(), t => -t[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void PowScalar(int n)
    {
        SecondOrderCheck.AgainstTorch([[n, 2]], x => x[0].Pow(3.0), t => t[0].pow(3.0));
        SecondOrderCheck.AgainstTorch([[n, 2]], x => x[0].Pow(2.5), t => t[0].pow(2.5), sample: Positive);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void SoftmaxFamily(int axis)
    {
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].Softmax(axis), t => t[0].softmax(axis));
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].LogSoftmax(axis), t => t[0].log_softmax(axis));
    }

    [Fact]
    public void Reductions()
    {
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].Mul(x[0]).Sum(), t => (t[0] * t[0]).sum());
        SecondOrderCheck.AgainstTorch([[3, 4, 2]], x => x[0].Mul(x[0]).Sum(1), t => (t[0] * t[0]).sum(1));
        SecondOrderCheck.AgainstTorch([[3, 4, 2]], x => x[0].Mul(x[0]).Mean(2, keepDim: true), t => (t[0] * t[0]).mean([2], keepdim: true));
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].Mul(x[0]).Mean(), t => (t[0] * t[0]).mean());
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].Mul(x[0]).Max(1), t => (t[0] * t[0]).max(1).values);
    }

    [Fact]
    public void Shapes()
    {
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].Mul(x[0]).Reshape(2, 6), t => (t[0] * t[0]).reshape(2, 6));
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].Mul(x[0]).Transpose(), t => (t[0] * t[0]).t());
    }

    [Fact]
    public void LinearAlgebra()
    {
        // The product of two inputs is bilinear: its second derivative is the cross term only.
        SecondOrderCheck.AgainstTorch([[3, 4], [4, 5]], x => x[0].MatMul(x[1]), t => t[0].matmul(t[1]));
        SecondOrderCheck.AgainstTorch([[1, 4], [4]], x => x[0].MatMul(x[1]), t => t[0].matmul(t[1]));
        SecondOrderCheck.AgainstTorch([[3, 4], [5, 4], [5]], x => x[0].Linear(x[1], x[2]).Tanh(), t => nn.functional.linear(t[0], t[1], t[2]).tanh());
        SecondOrderCheck.AgainstTorch([[1, 4], [2, 4]], x => x[0].Linear(x[1]).Sigmoid(), t => nn.functional.linear(t[0], t[1]).sigmoid());
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void Losses(Reduction reduction)
    {
        nn.Reduction r = TorchReduction(reduction);
        SecondOrderCheck.AgainstTorch([[3, 4], [3, 4]], x => x[0].MseLoss(x[1], reduction), t => nn.functional.mse_loss(t[0], t[1], r));
        SecondOrderCheck.AgainstTorch([[3, 4], [3, 4]], x => x[0].BinaryCrossEntropy(x[1], reduction), t => nn.functional.binary_cross_entropy(t[0], t[1], reduction: r), sample: Probability,
            secondOrderTolerance: Tolerances.TorchBceDoubleBackward);
        SecondOrderCheck.AgainstTorch([[3, 4], [3, 4]], x => x[0].BinaryCrossEntropyWithLogits(x[1].Sigmoid(), reduction), t => nn.functional.binary_cross_entropy_with_logits(t[0], t[1].sigmoid(), reduction: r)); // targets in [0, 1] (issue 15)
        int[] labels = [2, 0, 3];
        SecondOrderCheck.AgainstTorch([[3, 4]], x => x[0].CrossEntropy(labels, reduction), t => nn.functional.cross_entropy(t[0], tensor(new long[] { 2, 0, 3 }), reduction: r));
    }

    [Fact]
    public void Normalization()
    {
        SecondOrderCheck.AgainstTorch([[3, 2, 4], [2, 4], [2, 4]], x => x[0].LayerNorm(new Shape(2, 4), x[1], x[2]).Tanh(),
            t => nn.functional.layer_norm(t[0], [2, 4], t[1], t[2], 1e-5).tanh());
        SecondOrderCheck.AgainstTorch([[5, 3]], x => x[0].LayerNorm(new Shape(3)).Mul(x[0]), t => nn.functional.layer_norm(t[0], [3], null, null, 1e-5) * t[0]);
        SecondOrderCheck.AgainstTorch([[4, 3, 2], [3], [3]], x => x[0].BatchNorm(null, null, x[1], x[2], training: true).Tanh(),
            t => nn.functional.batch_norm(t[0], null, null, t[1], t[2], training: true).tanh());
        Tensor<double> mean = Tensor.FromArray(new double[] { 0.1, -0.2, 0.3 }, 3), variance = Tensor.FromArray(new double[] { 0.5, 1.5, 2 }, 3);
        SecondOrderCheck.AgainstTorch([[4, 3], [3], [3]], x => x[0].BatchNorm(mean, variance, x[1], x[2]).Tanh(),
            t => nn.functional.batch_norm(t[0], TorchOracle.ToTorch(mean), TorchOracle.ToTorch(variance), t[1], t[2], training: false).tanh());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void Embedding(int? padding)
    {
        int[] indices = [1, 3, 1, 0, 2, 1];
        SecondOrderCheck.AgainstTorch([[4, 3]], x => x[0].Embedding(indices, new Shape(2, 3), padding).Tanh(),
            t => TorchLookup(t[0], padding).tanh());
    }

    // torch's embedding with padding_idx: the padding row is read but gets no gradient (a detached copy of it is used).
    private static TorchSharp.torch.Tensor TorchLookup(TorchSharp.torch.Tensor weight, int? padding)
    {
        TorchSharp.torch.Tensor mask = ones(4, 1, dtype: float64);
        if (padding is { } p)
        {
            mask[p] = zeros(1, dtype: float64);
        }

        TorchSharp.torch.Tensor effective = (weight * mask) + (weight.detach() * (1 - mask));
        return effective.index_select(0, tensor(new long[] { 1, 3, 1, 0, 2, 1 })).reshape(2, 3, 3);
    }

    [Fact]
    public void Bce_SecondDerivative_IsTheClosedForm()
    {
        var p = Tensor.FromArray(new double[] { 0.05, 0.3, 0.5, 0.97 }, 4);
        p.RequiresGrad = true;
        Tensor<double> y = Tensor.FromArray(new double[] { 1, 0, 0.25, 0.5 }, 4);
        Tensor<double> g = MiniNet.Autograd.Grad(p.BinaryCrossEntropy(y, Reduction.Sum), p, createGraph: true);
        Tensor<double> h = MiniNet.Autograd.Grad(g.Sum(), p);
        double[] ps = p.ToArray(), ys = y.ToArray();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++)
        {
            expected[i] = (ys[i] / (ps[i] * ps[i])) + ((1 - ys[i]) / ((1 - ps[i]) * (1 - ps[i])));
        }

        TorchOracle.AssertClose(h.ToArray(), expected, Tolerances.ClosedForm, "y/p^2 + (1 - y)/(1 - p)^2");
    }

    [Fact]
    public void BceWithLogits_SecondDerivative_IsExactAndFinite_AtLogitsOfHundred()
    {
        var z = Tensor.FromArray(new double[] { -100, 100, 0, 30 }, 4);
        z.RequiresGrad = true;
        Tensor<double> y = Tensor.FromArray(new double[] { 1, 0, 0.5, 1 }, 4);
        Tensor<double> g = MiniNet.Autograd.Grad(z.BinaryCrossEntropyWithLogits(y, Reduction.Sum), z, createGraph: true);
        Tensor<double> h = MiniNet.Autograd.Grad(g.Sum(), z);
        double[] expected = Array.ConvertAll(z.ToArray(), v => { double s = 1 / (1 + Math.Exp(-v)); return s * (1 - s); });
        TorchOracle.AssertClose(h.ToArray(), expected, Tolerances.ClosedForm, "sigma(z)(1 - sigma(z))");
        Array.TrueForAll(h.ToArray(), double.IsFinite).Should().BeTrue();
        h.ToArray()[0].Should().BeGreaterThan(0, "sigma(-100)(1 - sigma(-100)) = 3.7e-44 is representable and must not underflow to a cancelled 0");
    }
}
