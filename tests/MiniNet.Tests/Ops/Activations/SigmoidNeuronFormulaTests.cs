using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

/// <summary>
/// The derivation MiniNet is built on (Nielsen, ch. 3): for one sigmoid neuron with the cross-entropy cost
/// C = -(1/n) Σ [y ln a + (1 - y) ln(1 - a)], a = σ(w·x + b), the σ'(z) factor cancels:
/// ∂C/∂w_j = (1/n) Σ x_j (σ(z) - y) and ∂C/∂b = (1/n) Σ (σ(z) - y). Checked three ways: tape, by hand, TorchSharp.
/// </summary>
public class SigmoidNeuronFormulaTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 3)]
    [InlineData(32, 5)]
    public void TapeGradients_EqualClosedForm_AndTorch(int n, int features)
    {
        var rng = new Rng((ulong)(n * 100 + features));
        Tensor<double> x = Tensor.Randn<double>(rng, n, features);
        Tensor<double> y = Tensor.Rand<double>(rng, n, 1);
        Tensor<double> w = Tensor.Randn<double>(rng, features, 1);
        Tensor<double> b = Tensor.Randn<double>(rng, 1);
        w.RequiresGrad = true;
        b.RequiresGrad = true;

        // 1. MiniNet's tape, with Nielsen's reduction: one output per sample, so BatchMean divides by n.
        Tensor<double> z = x.MatMul(w).Add(b);
        z.BinaryCrossEntropyWithLogits(y, Reduction.BatchMean).Backward();

        // 2. By hand.
        var dw = new double[features];
        double db = 0;
        for (int i = 0; i < n; i++)
        {
            double zi = b[0];
            for (int j = 0; j < features; j++)
            {
                zi += x[i, j] * w[j, 0];
            }

            double residual = (1 / (1 + Math.Exp(-zi))) - y[i, 0];
            for (int j = 0; j < features; j++)
            {
                dw[j] += x[i, j] * residual / n;
            }

            db += residual / n;
        }

        TorchOracle.AssertClose(w.Grad!.ToArray(), dw, Tolerances.ClosedForm, "dC/dw tape vs closed form");
        TorchOracle.AssertClose(b.Grad!.ToArray(), new[] { db }, Tolerances.ClosedForm, "dC/db tape vs closed form");

        // 3. TorchSharp: reduction 'sum' divided by n is Nielsen's cost (with one output, equal to 'mean').
        using var scope = torch.NewDisposeScope();
        var tw = TorchOracle.ToTorch(w.Detach(), requiresGrad: true);
        var tb = TorchOracle.ToTorch(b.Detach(), requiresGrad: true);
        var tz = TorchOracle.ToTorch(x).matmul(tw) + tb;
        (F.binary_cross_entropy_with_logits(tz, TorchOracle.ToTorch(y), reduction: torch.nn.Reduction.Sum) / n).backward();
        TorchOracle.AssertClose(w.Grad!.ToArray(), TorchOracle.Values(tw.grad!), Tolerances.TorchDouble, "dC/dw tape vs TorchSharp");
        TorchOracle.AssertClose(b.Grad!.ToArray(), TorchOracle.Values(tb.grad!), Tolerances.TorchDouble, "dC/db tape vs TorchSharp");
    }

    [Fact]
    public void CrossEntropyGradient_HasNoSigmaPrimeFactor_QuadraticDoes()
    {
        // A badly wrong neuron (z = 10, y = 0): σ'(10) ≈ 4.5e-5, so the quadratic cost's gradient is tiny.
        var z = Tensor.FromArray(new[] { 10.0 }, 1, 1);
        z.RequiresGrad = true;
        var y = Tensor.Zeros<double>(1, 1);
        z.BinaryCrossEntropyWithLogits(y, Reduction.BatchMean).Backward();
        double crossEntropy = z.Grad!.Item();
        z.ZeroGrad();
        z.Sigmoid().MseLoss(y, Reduction.BatchMean).Mul(0.5).Backward();
        double quadratic = z.Grad!.Item();

        double a = 1 / (1 + Math.Exp(-10.0));
        crossEntropy.Should().BeApproximately(a, 1e-15, "∂C/∂z = σ(z) - y");
        quadratic.Should().BeApproximately(a * a * (1 - a), 1e-15, "∂C/∂z = (a - y) σ'(z)");
        (crossEntropy / quadratic).Should().BeGreaterThan(20_000, "the cross-entropy gradient is 1/σ'(z) times larger");
    }
}
