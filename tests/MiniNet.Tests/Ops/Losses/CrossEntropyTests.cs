using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class CrossEntropyTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        new[] { 1, 1 }, new[] { 1, 5 }, new[] { 4, 3 }, new[] { 7, 10 }, new[] { 5, 37 }, new[] { 0, 3 }, new[] { 1 }, new[] { 7 },
    };

    // BatchMean has no PyTorch counterpart for class indices; for cross-entropy it equals 'mean' (one loss per sample).
    private static readonly (Reduction Mini, torch.nn.Reduction Torch)[] Reductions =
    {
        (Reduction.Mean, torch.nn.Reduction.Mean), (Reduction.BatchMean, torch.nn.Reduction.Mean),
        (Reduction.Sum, torch.nn.Reduction.Sum), (Reduction.None, torch.nn.Reduction.None),
    };

    private static int[] Labels(int[] shape, ulong seed)
    {
        var rng = new Rng(seed);
        int batch = shape.Length == 2 ? shape[0] : 1, classes = shape[^1];
        var labels = new int[batch];
        for (int n = 0; n < batch; n++)
        {
            labels[n] = rng.NextInt(classes);
        }

        return labels;
    }

    // PyTorch takes a [N] long tensor for [N, C] logits and a 0-dim one for [C] logits.
    private static torch.Tensor TorchLabels(int[] labels, int[] shape) =>
        shape.Length == 2 ? torch.tensor(labels.Select(l => (long)l).ToArray(), new long[] { labels.Length }, dtype: torch.int64) : torch.tensor((long)labels[0]);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape)
    {
        int[] labels = Labels(shape, 77);
        foreach (var (mini, oracle) in Reductions)
        {
            OpCheck<double>.AgainstTorch(
                new[] { shape },
                xs => xs[0].CrossEntropy(labels, mini),
                ts => F.cross_entropy(ts[0], TorchLabels(labels, shape), reduction: oracle));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape)
    {
        int[] labels = Labels(shape, 78);
        foreach (var (mini, oracle) in Reductions)
        {
            OpCheck<float>.AgainstTorch(
                new[] { shape },
                xs => xs[0].CrossEntropy(labels, mini),
                ts => F.cross_entropy(ts[0], TorchLabels(labels, shape), reduction: oracle));
        }
    }

    [Fact]
    public void SingleLabelOverload_OnOneDimensionalLogits_MatchesTorch()
    {
        OpCheck<double>.AgainstTorch(new[] { new[] { 6 } }, xs => xs[0].CrossEntropy(4), ts => F.cross_entropy(ts[0], torch.tensor(4L)));
    }

    [Fact]
    public void ExtremeLogits_LossAndGradient_FiniteAndEqualToTorch()
    {
        double[] values = { 1000, -1000, 0, -1000, 1000, 999, 0, 0, 0, -1000, -1000, -1000 };
        int[] labels = { 1, 2, 0, 2 };
        var z = Tensor.FromArray(values, 4, 3);
        z.RequiresGrad = true;
        Tensor<double> loss = z.CrossEntropy(labels, Reduction.None);
        loss.Backward(Tensor.Ones<double>(4));

        using var scope = torch.NewDisposeScope();
        torch.Tensor tz = torch.tensor(values, new long[] { 4, 3 }, dtype: torch.float64, requires_grad: true);
        torch.Tensor tl = F.cross_entropy(tz, TorchLabels(labels, new[] { 4, 3 }), reduction: torch.nn.Reduction.None);
        tl.backward(new[] { torch.ones_like(tl) });
        loss.ToArray().Should().OnlyContain(v => double.IsFinite(v));
        z.Grad!.ToArray().Should().OnlyContain(v => double.IsFinite(v));
        TorchOracle.AssertClose(loss.ToArray(), TorchOracle.Values(tl), Tolerances.TorchDouble, "loss at extreme logits");
        TorchOracle.AssertClose(z.Grad!.ToArray(), TorchOracle.Values(tz.grad!), Tolerances.TorchDouble, "gradient at extreme logits");
        loss.ToArray()[0].Should().BeApproximately(2000, 1e-9, "label 1 sits 2000 below the winning logit");
    }

    [Fact]
    public void EqualsNegativePickedLogSoftmax_AndIsOneTapeEntry()
    {
        Tape.Current.Clear();
        Tensor<double> z = Tensor.Randn<double>(new Rng(4), 3, 5);
        z.RequiresGrad = true;
        int[] labels = { 4, 0, 2 };
        Tensor<double> perSample = z.CrossEntropy(labels, Reduction.None);
        Tape.Current.Count.Should().Be(1, "the fused loss is a single tape entry");
        Tape.Current.Clear();

        double[] logSoftmax = z.Detach().LogSoftmax(1).ToArray();
        for (int n = 0; n < 3; n++)
        {
            perSample.ToArray()[n].Should().BeApproximately(-logSoftmax[(n * 5) + labels[n]], Tolerances.ClosedForm, $"sample {n}");
        }
    }

    [Fact]
    public void InRecycledSteps_ReusedLabelBuffers_GiveEachStepsOwnGradient()
    {
        // The saved labels and log-sum-exps come from this thread's buffer pool and go back when backward recycles the
        // tape, so a step reuses the previous step's buffers: each step's gradient must still be its own,
        // (softmax(z) - onehot(labels)) / n, computed here by hand.
        var rng = new Rng(5);
        for (int step = 0; step < 3; step++)
        {
            Tensor<double> z = Tensor.Randn<double>(rng, 6, 4);
            int[] labels = Enumerable.Range(0, 6).Select(i => (i + step) % 4).ToArray();
            double[] zs = z.ToArray(), expected = new double[zs.Length];
            for (int n = 0; n < 6; n++)
            {
                double sum = Enumerable.Range(0, 4).Sum(j => Math.Exp(zs[(4 * n) + j]));
                for (int j = 0; j < 4; j++)
                {
                    expected[(4 * n) + j] = ((Math.Exp(zs[(4 * n) + j]) / sum) - (j == labels[n] ? 1 : 0)) / 6;
                }
            }

            z.RequiresGrad = true;
            using (MiniNet.Autograd.RecycleIntermediates())
            {
                z.Mul(1.0).CrossEntropy(labels).Backward();
            }

            z.Grad!.ToArray().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>(), $"step {step}");
        }
    }

    [Fact]
    public void Mean_DividesByBatchSize_NotByElementCount()
    {
        Tensor<double> z = Tensor.Randn<double>(new Rng(6), 4, 3);
        int[] labels = { 0, 1, 2, 1 };
        double sum = z.CrossEntropy(labels, Reduction.Sum).Item();
        z.CrossEntropy(labels, Reduction.Mean).Item().Should().BeApproximately(sum / 4, Tolerances.ClosedForm * sum);
        z.CrossEntropy(labels, Reduction.BatchMean).Item().Should().BeApproximately(sum / 4, Tolerances.ClosedForm * sum);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void Throws_OnLabelOutOfRange_NamingIndexAndValue(int bad)
    {
        Action act = () => Tensor.Zeros(2, 3).CrossEntropy(new[] { 0, bad });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*CrossEntropy*labels[1] = {bad}*[0, 3)*[2, 3]*");
    }

    [Fact]
    public void Throws_OnLabelCountMismatch_NamingShapeAndCount()
    {
        Action act = () => Tensor.Zeros(4, 3).CrossEntropy(new[] { 0, 1, 2 });
        act.Should().Throw<ArgumentException>().WithMessage("*CrossEntropy*[4, 3]*4 label(s)*got 3*");
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 2, 3, 4 })]
    public void Throws_OnLogitsOfWrongRank_NamingShape(int[] shape)
    {
        Action act = () => Tensor.Zeros(shape).CrossEntropy(new[] { 0 });
        act.Should().Throw<ArgumentException>().WithMessage($"*CrossEntropy*{new Shape(shape)}*");
    }

    [Fact]
    public void NaN_PropagatesToItsSample()
    {
        var z = Tensor.FromArray(new[] { 0.5, double.NaN, 1.0, 2.0 }, 2, 2);
        double[] loss = z.CrossEntropy(new[] { 0, 1 }, Reduction.None).ToArray();
        double.IsNaN(loss[0]).Should().BeTrue("sample 0 holds a NaN logit");
        double.IsFinite(loss[1]).Should().BeTrue("sample 1 does not");
        double.IsNaN(z.CrossEntropy(new[] { 0, 1 }).Item()).Should().BeTrue("the mean is NaN, not hidden");
    }
}
