using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class BinaryCrossEntropyWithLogitsTests
{
    public static TheoryData<int[]> Shapes => new() { Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 } };

    private static readonly (Reduction Mini, torch.nn.Reduction Torch)[] Reductions =
    {
        (Reduction.Mean, torch.nn.Reduction.Mean), (Reduction.Sum, torch.nn.Reduction.Sum), (Reduction.None, torch.nn.Reduction.None),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape)
    {
        // Targets must lie in [0, 1] (out-of-range targets raise), so the raw normal sample goes through a sigmoid on both sides.
        foreach (var (mini, oracle) in Reductions)
        {
            OpCheck<double>.AgainstTorch(
                new[] { shape, shape },
                xs => xs[0].BinaryCrossEntropyWithLogits(xs[1].Sigmoid(), mini),
                ts => F.binary_cross_entropy_with_logits(ts[0], ts[1].sigmoid(), reduction: oracle),
                sample: null);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape)
    {
        foreach (var (mini, oracle) in Reductions)
        {
            OpCheck<float>.AgainstTorch(
                new[] { shape, shape },
                xs => xs[0].BinaryCrossEntropyWithLogits(xs[1].Sigmoid(), mini),
                ts => F.binary_cross_entropy_with_logits(ts[0], ts[1].sigmoid(), reduction: oracle));
        }
    }

    [Fact]
    public void BatchMean_IsSumDividedByBatchSize_NotByElementCount()
    {
        var rng = new Rng(7);
        Tensor<double> z = Tensor.Randn<double>(rng, 4, 3);
        Tensor<double> y = Tensor.Rand<double>(rng, 4, 3);
        double sum = z.BinaryCrossEntropyWithLogits(y, Reduction.Sum).Item();
        z.BinaryCrossEntropyWithLogits(y, Reduction.BatchMean).Item().Should().BeApproximately(sum / 4, 1e-15);
        z.BinaryCrossEntropyWithLogits(y, Reduction.Mean).Item().Should().BeApproximately(sum / 12, 1e-15);
    }

    [Fact]
    public void ExtremeLogits_LossAndGradient_FiniteAndEqualToTorch()
    {
        double[] zs = { -100, -50, -20, -1, 0, 1, 20, 50, 100 };
        double[] ys = { 0, 0.3, 1 };
        double[] zValues = zs.SelectMany(z => ys.Select(_ => z)).ToArray();
        double[] yValues = zs.SelectMany(_ => ys).ToArray();

        var z = Tensor.FromArray(zValues, zValues.Length);
        z.RequiresGrad = true;
        var y = Tensor.FromArray(yValues, yValues.Length);
        Tensor<double> perElement = z.BinaryCrossEntropyWithLogits(y, Reduction.None);
        perElement.Backward(Tensor.Ones<double>(zValues.Length));

        using var tz = torch.tensor(zValues, dtype: torch.float64, requires_grad: true);
        using var ty = torch.tensor(yValues, dtype: torch.float64);
        using var tl = F.binary_cross_entropy_with_logits(tz, ty, reduction: torch.nn.Reduction.None);
        tl.backward(new[] { torch.ones_like(tl) });

        perElement.ToArray().Should().OnlyContain(v => double.IsFinite(v));
        z.Grad!.ToArray().Should().OnlyContain(v => double.IsFinite(v));
        TorchOracle.AssertClose(perElement.ToArray(), TorchOracle.Values(tl), Tolerances.TorchDouble, "loss at extreme logits");
        TorchOracle.AssertClose(z.Grad!.ToArray(), TorchOracle.Values(tz.grad!), Tolerances.TorchDouble, "gradient at extreme logits");
    }

    [Fact]
    public void UnfusedChain_LosesGradientAtFifty_FusedKeepsIt()
    {
        // Target 0, logit 50: the neuron is confidently wrong, so the true gradient is sigma(50) - 0 ≈ 1.
        var z = Tensor.FromArray(new float[] { 50f }, 1);
        z.RequiresGrad = true;
        var y = Tensor.FromArray(new float[] { 0f }, 1);

        z.Sigmoid().BinaryCrossEntropy(y).Backward();
        float unfused = z.Grad!.Item();
        z.ZeroGrad();
        z.BinaryCrossEntropyWithLogits(y).Backward();
        float fused = z.Grad!.Item();

        // In float sigma(50) rounds to exactly 1, so sigma'(50) = s(1 - s) = 0 and the chain's gradient vanishes
        // whatever BinaryCrossEntropy's gradient with respect to p is, the chain multiplies it by zero.
        unfused.Should().Be(0f, "the sigma'(z) factor underflows in the unfused chain");
        fused.Should().Be(1f, "the fused backward writes sigma(z) - y directly");
    }

    [Fact]
    public void Throws_OnShapeMismatch_NamingBothShapes()
    {
        var z = Tensor.Zeros(2, 3);
        var y = Tensor.Zeros(3, 2);
        Action act = () => z.BinaryCrossEntropyWithLogits(y);
        act.Should().Throw<ArgumentException>().WithMessage("*BinaryCrossEntropyWithLogits*[2, 3]*[3, 2]*");
    }

    [Fact]
    public void NaNLogit_PropagatesToLoss()
    {
        var z = Tensor.FromArray(new[] { 0.5, double.NaN }, 2);
        var y = Tensor.FromArray(new[] { 1.0, 0.0 }, 2);
        double.IsNaN(z.BinaryCrossEntropyWithLogits(y).Item()).Should().BeTrue("NaN inputs must not be hidden");
    }

    [Fact]
    public void IsOneTapeEntry()
    {
        Tape.Current.Clear();
        var z = Tensor.Randn<double>(new Rng(1), 5);
        z.RequiresGrad = true;
        _ = z.BinaryCrossEntropyWithLogits(Tensor.Zeros<double>(5));
        Tape.Current.Count.Should().Be(1, "the fused loss is a single tape entry, not a chain of primitives");
        Tape.Current.Clear();
    }
}
