using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class BinaryCrossEntropyTests
{
    public static TheoryData<int[]> Shapes => new() { Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 } };

    private static readonly (Reduction Mini, torch.nn.Reduction Torch)[] Reductions =
    {
        (Reduction.Mean, torch.nn.Reduction.Mean), (Reduction.Sum, torch.nn.Reduction.Sum), (Reduction.None, torch.nn.Reduction.None),
    };

    // Probabilities and targets strictly inside (0, 1): sigma of a normal sample, kept away from the clamps.
    private static double Probability(double v) => 0.02 + (0.96 / (1 + Math.Exp(-v)));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape)
    {
        foreach (var (mini, oracle) in Reductions)
        {
            // PyTorch does not differentiate binary_cross_entropy with respect to the target, so only p gets a gradient here.
            OpCheck<double>.AgainstTorch(
                new[] { shape, shape },
                xs => xs[0].BinaryCrossEntropy(xs[1], mini),
                ts => F.binary_cross_entropy(ts[0], ts[1], reduction: oracle),
                sample: Probability,
                gradInputs: new[] { true, false });
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
                xs => xs[0].BinaryCrossEntropy(xs[1], mini),
                ts => F.binary_cross_entropy(ts[0], ts[1], reduction: oracle),
                sample: Probability,
                gradInputs: new[] { true, false });
        }
    }

    [Fact]
    public void TargetGradient_PassesGradCheck()
    {
        var rng = new Rng(4);
        var p = Tensor.FromArray(new[] { 0.2, 0.7, 0.9, 0.35 }, 2, 2);
        Tensor<double> y = Tensor.Rand<double>(rng, 2, 2);
        p.RequiresGrad = y.RequiresGrad = true;
        GradCheckResult check = GradCheck.Run(xs => xs[0].BinaryCrossEntropy(xs[1], Reduction.BatchMean), new[] { p, y });
        check.Passed(Tolerances.GradCheck).Should().BeTrue(check.ToString());
    }

    [Fact]
    public void ProbabilitiesZeroAndOne_ClampLogAtMinus100_LikeTorch()
    {
        double[] ps = { 0, 0, 1, 1, 0.5 }, ys = { 0, 1, 0, 1, 0.3 };
        var p = Tensor.FromArray(ps, 5);
        p.RequiresGrad = true;
        Tensor<double> loss = p.BinaryCrossEntropy(Tensor.FromArray(ys, 5), Reduction.None);
        loss.Backward(Tensor.Ones<double>(5));

        using var tp = torch.tensor(ps, dtype: torch.float64, requires_grad: true);
        using var tl = F.binary_cross_entropy(tp, torch.tensor(ys, dtype: torch.float64), reduction: torch.nn.Reduction.None);
        tl.backward(new[] { torch.ones_like(tl) });

        loss.ToArray().Should().Equal(0, 100, 100, 0, loss[4]);
        TorchOracle.AssertClose(loss.ToArray(), TorchOracle.Values(tl), Tolerances.TorchDouble, "loss at p in {0, 1}");
        TorchOracle.AssertClose(p.Grad!.ToArray(), TorchOracle.Values(tp.grad!), Tolerances.TorchDouble, "gradient at p in {0, 1}");
    }

    [Fact]
    public void NaNProbability_Throws_TheClampDoesNotHideIt()
    {
        // Issue 15: a NaN probability raises (PyTorch: "all elements of input should be between 0 and 1").
        var p = Tensor.FromArray(new[] { 0.5, double.NaN }, 2);
        FluentActions.Invoking(() => p.BinaryCrossEntropy(Tensor.FromArray(new[] { 1.0, 0.0 }, 2)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*probabilities[1] = NaN*");
    }

    [Fact]
    public void Throws_OnShapeMismatch_NamingBothShapes()
    {
        Action act = () => Tensor.Zeros(2, 3).BinaryCrossEntropy(Tensor.Zeros(3));
        act.Should().Throw<ArgumentException>().WithMessage("*BinaryCrossEntropy*[2, 3]*[3]*");
    }
}
