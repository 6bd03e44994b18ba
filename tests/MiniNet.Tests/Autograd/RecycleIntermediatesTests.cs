using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Autograd;

public class RecycleIntermediatesTests
{
    private static (Tensor<float> W, Tensor<float> B) Parameters()
    {
        var rng = new Rng(3);
        Tensor<float> w = Tensor.Randn<float>(rng, 6, 4);
        Tensor<float> b = Tensor.Randn<float>(rng, 4);
        w.RequiresGrad = true;
        b.RequiresGrad = true;
        return (w, b);
    }

    private static float[] Train(bool recycle, int steps)
    {
        var (w, b) = Parameters();
        var rng = new Rng(9);
        Tensor<float> x = Tensor.Randn<float>(rng, 5, 6);
        Tensor<float> y = Tensor.Rand<float>(rng, 5, 4);
        using var scope = recycle ? MiniNet.Autograd.RecycleIntermediates() : default;
        for (int step = 0; step < steps; step++)
        {
            x.MatMul(w).Add(b).Sigmoid().Mul(2f).BinaryCrossEntropyWithLogits(y).Backward();
            using (MiniNet.Autograd.NoGrad())
            {
                foreach (Tensor<float> p in new[] { w, b })
                {
                    Span<float> values = p.AsSpanForWrite();
                    ReadOnlySpan<float> grad = p.Grad!.AsReadOnlySpan();
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] -= 0.1f * grad[i];
                    }

                    p.ZeroGrad();
                }
            }
        }

        return [.. w.ToArray(), .. b.ToArray()];
    }

    [Fact]
    public void Training_GivesBitIdenticalParameters_WithAndWithoutRecycling()
    {
        Train(recycle: true, steps: 25).Should().Equal(Train(recycle: false, steps: 25));
    }

    [Fact]
    public void ReadingARecycledIntermediate_Throws_LossAndLeavesStayReadable()
    {
        var (w, b) = Parameters();
        Tensor<float> x = Tensor.Ones<float>(2, 6);
        using (MiniNet.Autograd.RecycleIntermediates())
        {
            Tensor<float> hidden = x.MatMul(w).Add(b);
            Tensor<float> loss = hidden.BinaryCrossEntropyWithLogits(Tensor.Zeros<float>(2, 4));
            loss.Backward();

            float.IsFinite(loss.Item()).Should().BeTrue("the tensor Backward was called on is never recycled");
            w.ToArray().Should().HaveCount(24);
            w.Grad!.ToArray().Should().HaveCount(24);
            Action read = () => hidden.ToArray();
            read.Should().Throw<InvalidOperationException>().WithMessage("*recycled*RecycleIntermediates*");
        }
    }

    [Fact]
    public void LinearTraining_IsBitIdentical_WithPooledStaleBuffers()
    {
        // Pooled buffers hold the previous step's values, so an op that failed to overwrite its whole output (Linear
        // and MatMul write into uninitialised storage) would diverge here.
        static float[] Run(bool recycle)
        {
            var rng = new Rng(8);
            var layer = new MiniNet.NN.Linear(6, 4, rng);
            var sgd = new MiniNet.Optim.Sgd(layer.Parameters(), 0.1);
            Tensor<float> x = Tensor.Randn<float>(rng, 5, 6), y = Tensor.Rand<float>(rng, 5, 4);
            using var scope = recycle ? MiniNet.Autograd.RecycleIntermediates() : default;
            for (int step = 0; step < 20; step++)
            {
                sgd.ZeroGrad();
                layer.Forward(x).Sigmoid().MatMul(Tensor.Ones<float>(4, 4)).BinaryCrossEntropyWithLogits(y).Backward();
                sgd.Step();
            }

            return [.. layer.Weight.ToArray(), .. layer.Bias!.ToArray()];
        }

        Run(recycle: true).Should().Equal(Run(recycle: false));
    }

    [Fact]
    public void DefaultScope_DisposeChangesNothing()
    {
        var scope = default(MiniNet.Autograd.Scope);
        scope.Dispose();
        MiniNet.Autograd.IsGradEnabled.Should().BeTrue("disposing a default scope must not leave a NoGrad depth behind");
        MiniNet.Autograd.IsRecyclingIntermediates.Should().BeFalse();
        MiniNet.Autograd.IsAnomalyDetectionEnabled.Should().BeFalse();
    }

    [Fact]
    public void WithoutTheScope_IntermediatesStayReadableAfterBackward()
    {
        var (w, b) = Parameters();
        Tensor<float> hidden = Tensor.Ones<float>(2, 6).MatMul(w).Add(b);
        hidden.Sum0().Backward();
        hidden.ToArray().Should().HaveCount(8);
    }
}

internal static class SumExtensions
{
    /// <summary>A scalar from any tensor using only ops the lead wrote (independent of the reductions under test elsewhere).</summary>
    public static Tensor<float> Sum0(this Tensor<float> t) =>
        t.BinaryCrossEntropyWithLogits(Tensor.Zeros<float>(t.Shape.ToArray()), Reduction.Sum);
}
