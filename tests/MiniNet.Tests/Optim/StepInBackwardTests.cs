using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Optim;

/// <summary>
/// <see cref="Optimizer{T}.StepInBackward"/>: Backward() alone must leave the parameters where Backward(); Step()
/// leaves them (bit for bit, except where the fused Linear GEMM documents a different summation order), with Grad
/// null, and must refuse what it cannot do.
/// </summary>
public class StepInBackwardTests
{
    // The benchmark's network, 12-6-3: Linear, Sigmoid, Linear, BCE-with-logits; shared says W1 is used twice.
    private sealed class Net<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public Net(int batch, ulong seed)
        {
            var rng = new Rng(seed);
            Parameters = [Tensor.Randn<T>(rng, 6, 12), Tensor.Randn<T>(rng, 6), Tensor.Randn<T>(rng, 3, 6), Tensor.Randn<T>(rng, 3)];
            foreach (Tensor<T> p in Parameters)
            {
                p.RequiresGrad = true;
            }

            X = Tensor.Rand<T>(rng, batch, 12);
            Y = Tensor.Rand<T>(rng, batch, 3);
        }

        public Tensor<T>[] Parameters { get; }

        public Tensor<T> X { get; }

        public Tensor<T> Y { get; }

        public Tensor<T> Loss(bool shared = false)
        {
            Tensor<T> hidden = X.Linear(Parameters[0], Parameters[1]).Sigmoid();
            if (shared)
            {
                // W1 feeds a second op (its sum), so no single op may update it.
                hidden = hidden + Parameters[0].Sum();
            }

            return hidden.Linear(Parameters[2], Parameters[3]).BinaryCrossEntropyWithLogits(Y);
        }

        public T[][] Values() => Parameters.Select(p => p.ToArray()).ToArray();
    }

    // Trains two copies of the net, one with Backward(); Step(), one with StepInBackward; fusedPerStep is how many
    // parameters Linear must have updated itself each step (so a test cannot pass by never taking the fused path).
    private static (T[][] Plain, T[][] InBackward) Train<T>(
        Func<IEnumerable<Tensor<T>>, Optimizer<T>> create, int batch, int steps, int fusedPerStep, bool shared = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long fusedBefore = InBackward<T>.FusedSteps;
        Net<T> plain = new(batch, 5), fused = new(batch, 5);
        Optimizer<T> plainOptimizer = create(plain.Parameters), fusedOptimizer = create(fused.Parameters);
        fusedOptimizer.StepInBackward = true;
        try
        {
            for (int s = 0; s < steps; s++)
            {
                plainOptimizer.ZeroGrad();
                plain.Loss(shared).Backward();
                plainOptimizer.Step();

                fused.Loss(shared).Backward();
                fused.Parameters.Should().OnlyContain(p => p.Grad == null, "the step consumed the gradients (zero_grad(set_to_none=True))");
            }
        }
        finally
        {
            fusedOptimizer.StepInBackward = false;
        }

        fusedOptimizer.StepCount.Should().Be(plainOptimizer.StepCount);
        (InBackward<T>.FusedSteps - fusedBefore).Should().Be(fusedPerStep * steps, "that many Linear parameters qualify for the fused update");
        return (plain.Values(), fused.Values());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PlainSgd_BatchOne_PowerOfTwoRate_IsBitIdenticalToStep(bool float32)
    {
        // One row and lr = 0.5: -lr * g is exact, so W + (-lr g) x^T rounds exactly like W - lr (g x^T).
        if (float32)
        {
            var (plain, fused) = Train<float>(p => new Sgd<float>(p, 0.5), batch: 1, steps: 6, fusedPerStep: 4);
            fused.Should().BeEquivalentTo(plain, o => o.WithStrictOrdering());
        }
        else
        {
            var (plain, fused) = Train<double>(p => new Sgd<double>(p, 0.5), batch: 1, steps: 6, fusedPerStep: 4);
            fused.Should().BeEquivalentTo(plain, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void PlainSgd_Batch_MatchesStep_ToSummationOrder()
    {
        // Batch 7, lr 0.3: the fused GEMM adds each row's -lr g_i x_i^T into W instead of subtracting lr * sum_i, a
        // different rounding order; float64 after 6 steps agrees to ~1e-15 relative, 1e-12 leaves room for the order.
        var (plain, fused) = Train<double>(p => new Sgd<double>(p, 0.3), batch: 7, steps: 6, fusedPerStep: 4);
        for (int i = 0; i < plain.Length; i++)
        {
            for (int j = 0; j < plain[i].Length; j++)
            {
                fused[i][j].Should().BeApproximately(plain[i][j], 1e-12 * Math.Max(1, Math.Abs(plain[i][j])), $"parameter {i}, element {j}");
            }
        }
    }

    public static TheoryData<string> Unfused => new() { "momentum", "weight decay", "adam", "shared weight" };

    [Theory]
    [MemberData(nameof(Unfused))]
    public void UpdatesNoOpCanFuse_AreBitIdenticalToStep(string kind)
    {
        // These take the end-of-walk path, which runs the optimizer's own Update on the complete gradient.
        Func<IEnumerable<Tensor<double>>, Optimizer<double>> create = kind switch
        {
            "momentum" => p => new Sgd<double>(p, 0.3, momentum: 0.9, nesterov: true),
            "weight decay" => p => new Sgd<double>(p, 0.3, weightDecay: 0.01),
            "adam" => p => new Adam<double>(p, 0.01),
            // W1 is not fused; the other Linear parameters are, bit-identically with one row and lr = 0.5.
            _ => p => new Sgd<double>(p, 0.5),
        };
        bool shared = kind == "shared weight";
        var (plain, fused) = Train(create, batch: shared ? 1 : 5, steps: 4, fusedPerStep: shared ? 3 : 0, shared);
        fused.Should().BeEquivalentTo(plain, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Step_Throws_WhileOn_AndWorksAgainWhenOff()
    {
        Net<double> net = new(2, 9);
        var sgd = new Sgd<double>(net.Parameters, 0.1) { StepInBackward = true };
        try
        {
            FluentActions.Invoking(sgd.Step).Should().Throw<InvalidOperationException>().WithMessage("*StepInBackward*Step()*");
        }
        finally
        {
            sgd.StepInBackward = false;
        }

        double[] before = net.Parameters[0].ToArray();
        net.Loss().Backward();
        net.Parameters[0].ToArray().Should().Equal(before, "off again, Backward only computes gradients");
        net.Parameters[0].Grad.Should().NotBeNull();
        sgd.Step();
        net.Parameters[0].ToArray().Should().NotEqual(before);
    }

    [Fact]
    public void RetainedGraph_CannotBeWalkedAgain_AfterItsParametersWereUpdated()
    {
        Net<double> net = new(3, 11);
        var sgd = new Sgd<double>(net.Parameters, 0.1) { StepInBackward = true };
        try
        {
            Tensor<double> loss = net.Loss();
            loss.Backward(retainGraph: true);
            FluentActions.Invoking(() => loss.Backward()).Should().Throw<InvalidOperationException>().WithMessage("*modified in place*");
        }
        finally
        {
            sgd.StepInBackward = false;
        }
    }
}
