using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops.Convolution;

public class DropoutTests
{
    [Fact]
    public void Dropout_KeepsScaledValues_AndGradientIsTheSameMask()
    {
        var x = Tensor.Randn<double>(new Rng(1), 3, 5, 7);
        x.RequiresGrad = true;
        Tensor<double> y = x.Dropout(0.3, new Rng(2), training: true);
        var upstream = Tensor.Randn<double>(new Rng(3), 3, 5, 7);
        y.Backward(upstream);
        double[] xs = x.ToArray(), ys = y.ToArray(), gs = x.Grad!.ToArray(), us = upstream.ToArray();
        int dropped = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            bool kept = ys[i] != 0;
            dropped += kept ? 0 : 1;
            ys[i].Should().Be(kept ? xs[i] * (1 / 0.7) : 0);
            gs[i].Should().Be(kept ? us[i] * (1 / 0.7) : 0, "the gradient uses the forward's mask");
        }

        dropped.Should().BeInRange(15, 50, "about 30 % of 105 elements");
    }

    /// <summary>
    /// float, every length 0..130 and 1,000 (the 16-lane path, its scalar tail, several mask words): y equals
    /// <c>x factor</c> bit for bit with the mask redrawn from the same seed (kept when <c>(u >> 11) >= ceil(p 2^53)</c>),
    /// a dropped NaN or infinity gives NaN as in the scalar rule, and two backward passes accumulate <c>g factor</c> twice.
    /// </summary>
    [Fact]
    public void Dropout_Float_EveryLength_MatchesMaskRule_BitForBit()
    {
        const double p = 0.3;
        float scale = (float)(1 / (1 - p));
        ulong threshold = (ulong)Math.Ceiling(p * (1UL << 53));
        foreach (int n in Enumerable.Range(0, 131).Append(1000))
        {
            float[] values = Tensor.Randn<float>(new Rng((ulong)n + 1), Math.Max(n, 1)).ToArray().Take(n).ToArray();
            if (n > 20)
            {
                (values[3], values[17]) = (float.NaN, float.PositiveInfinity);
            }

            var x = Tensor.FromArray(values, n);
            x.RequiresGrad = true;
            Tensor<float> y = x.Dropout(p, new Rng(99));
            var upstream = Tensor.Randn<float>(new Rng((ulong)n + 500), Math.Max(n, 1)).ToArray().Take(n).ToArray();
            y.Backward(Tensor.FromArray(upstream, n), retainGraph: true);
            y.Backward(Tensor.FromArray(upstream, n));
            float[] ys = y.ToArray(), gs = x.Grad!.ToArray();
            var rng = new Rng(99);
            for (int i = 0; i < n; i++)
            {
                float factor = rng.NextUInt64() >> 11 >= threshold ? scale : 0f;
                float once = upstream[i] * factor, twice = 0f + once + once; // the gradient buffer starts at +0
                Assert.True(
                    BitConverter.SingleToInt32Bits(ys[i]) == BitConverter.SingleToInt32Bits(values[i] * factor) &&
                    BitConverter.SingleToInt32Bits(gs[i]) == BitConverter.SingleToInt32Bits(twice),
                    $"n={n} i={i}: x {values[i]} factor {factor}: y {ys[i]} (expected {values[i] * factor}), grad {gs[i]} (expected {twice})");
            }
        }
    }

    [Fact]
    public void Dropout_SameSeed_SameMask_DifferentSeed_DifferentMask()
    {
        var x = Tensor.Ones<float>(200);
        float[] a = x.Dropout(0.5, new Rng(7)).ToArray(), b = x.Dropout(0.5, new Rng(7)).ToArray(), c = x.Dropout(0.5, new Rng(8)).ToArray();
        a.Should().Equal(b);
        a.Should().NotEqual(c);
    }

    [Fact]
    public void Dropout_DropRate_IsP_OverManyElements()
    {
        float[] y = Tensor.Ones<float>(100_000).Dropout(0.25, new Rng(9)).ToArray();
        double rate = y.Count(v => v == 0f) / 100_000.0;
        rate.Should().BeApproximately(0.25, 0.005, "4.6 standard deviations of a binomial(1e5, 0.25) rate");
        y.Where(v => v != 0f).Should().OnlyContain(v => v == 1f / 0.75f);
    }

    [Fact]
    public void Dropout_PZero_IsIdentityValues_POne_IsZeros_AndEvalReturnsInput()
    {
        var x = Tensor.Randn<float>(new Rng(1), 4, 6);
        x.Dropout(0, new Rng(1)).ToArray().Should().Equal(x.ToArray());
        Tensor<float> all = x.Dropout(1, new Rng(1));
        all.ToArray().Should().OnlyContain(v => v == 0f);
        all.ToArray().Should().NotContain(float.NaN);
        x.Dropout(0.5, new Rng(1), training: false).Should().BeSameAs(x);
        var image = Tensor.Ones(2, 3, 4, 4);
        image.Dropout2d(0.5, new Rng(1), training: false).Should().BeSameAs(image);
    }

    [Fact]
    public void Dropout2d_ZeroesWholeChannels()
    {
        var x = Tensor.Ones<double>(8, 16, 3, 5);
        x.RequiresGrad = true;
        Tensor<double> y = x.Dropout2d(0.5, new Rng(11));
        y.Backward(Tensor.Ones<double>(8, 16, 3, 5));
        double[] ys = y.ToArray(), gs = x.Grad!.ToArray();
        int droppedChannels = 0;
        for (int plane = 0; plane < 8 * 16; plane++)
        {
            var values = ys.Skip(plane * 15).Take(15).Distinct().ToArray();
            values.Should().HaveCount(1, "a channel is kept or dropped as a whole");
            values[0].Should().BeOneOf(0.0, 2.0);
            gs.Skip(plane * 15).Take(15).Should().OnlyContain(g => g == values[0]);
            droppedChannels += values[0] == 0 ? 1 : 0;
        }

        droppedChannels.Should().BeInRange(40, 88);
    }

    [Fact]
    public void Dropout_InRecycledSteps_ReusesItsMask_AndEachStepsGradientIsItsOwnMask()
    {
        // The bit mask (1 bit per element: 64 KB for 2^19 elements) comes from this thread's buffer pool and goes back
        // when backward recycles the tape, or right after a forward that records nothing. A reused mask buffer must be
        // refilled every step: each step's gradient is that step's own scaled mask, y / x.
        var rng = new Rng(3);
        Tensor<float> x = Tensor.Rand<float>(rng, 512, 1024) + 1f;
        float[] xs = x.ToArray();
        x.RequiresGrad = true;
        float[]? previous = null;
        for (int step = 0; step < 4; step++)
        {
            long allocated;
            float[] kept, grad;
            using (MiniNet.Autograd.RecycleIntermediates())
            {
                x.Grad = null;
                long before = GC.GetAllocatedBytesForCurrentThread();
                Tensor<float> y = x.Dropout(0.5, rng);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                kept = y.ToArray().Select((v, i) => v / xs[i]).ToArray();
                y.Sum().Backward();
                grad = x.Grad!.ToArray();
            }

            grad.Should().Equal(kept, "the gradient of sum(dropout(x)) is the scaled mask");
            if (previous is not null)
            {
                kept.Should().NotEqual(previous, "each step draws a new mask");
            }

            previous = kept;
            if (step > 0)
            {
                allocated.Should().BeLessThan(8 * 1024, "the output and the 64 KB mask come back from the pools; only the tensor and tape objects are new");
            }
        }

        long noGrad;
        using (MiniNet.Autograd.NoGrad())
        {
            x.Dropout(0.5, rng).Dispose();
            long before = GC.GetAllocatedBytesForCurrentThread();
            x.Dropout(0.5, rng).Dispose();
            noGrad = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        noGrad.Should().BeLessThan(8 * 1024, "without a tape the mask goes back right after the forward");
    }

    [Fact]
    public void Dropout_Throws_OnBadProbability()
    {
        Action act = () => Tensor.Ones(3).Dropout(1.5, new Rng(1));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*");
        Action nan = () => Tensor.Ones(3).Dropout(double.NaN, new Rng(1));
        nan.Should().Throw<ArgumentOutOfRangeException>();
        Action rank = () => Tensor.Ones(3, 4).Dropout2d(0.5, new Rng(1));
        rank.Should().Throw<ArgumentException>().WithMessage("*[N, C, H, W]*[3, 4]*");
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    [InlineData(-3, -2)]
    [InlineData(0, -1)]
    public void Flatten_MatchesTorch_Double(int start, int end)
    {
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 2, 3, 4, 5 } },
            xs => xs[0].Flatten(start, end),
            ts => ts[0].flatten(start, end));
    }

    [Fact]
    public void Flatten_Throws_OnBadRange()
    {
        Action act = () => Tensor.Zeros(2, 3).Flatten(1, 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[2, 3]*");
    }
}
