using System;
using System.Collections.Generic;
using System.Linq;
using FluentAssertions;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Autograd;

/// <summary>
/// <see cref="MiniNet.Autograd.CaptureStep{T}"/> with the engine's other features: hooks and RetainGrad, an optimizer
/// stepping in backward, gradients accumulated without ZeroGrad; each replay must match the eager step bit for bit.
/// </summary>
public class CapturedStepInteractionTests
{
    [Fact]
    public void Replay_RunsHooksAndRetainGradEachTime()
    {
        // A hook on a parameter runs once per replay, and a retained intermediate gradient is this replay's.
        var net = new CaptureNet<double>(3);
        var eager = new CaptureNet<double>(3);
        int calls = 0;
        using RemovableHandle hook = net.Parameters[0].RegisterHook(g => { calls++; return g * 2.0; });
        using RemovableHandle eagerHook = eager.Parameters[0].RegisterHook(g => g * 2.0);
        Tensor<double> retained = null!;
        Tensor<double> Step(CaptureNet<double> n, Action<Tensor<double>> keep)
        {
            foreach (Tensor<double> p in n.Parameters)
            {
                p.ZeroGrad();
            }

            Tensor<double> hidden = n.X.Linear(n.Parameters[0], n.Parameters[1]).Sigmoid();
            hidden.RetainGrad();
            keep(hidden);
            Tensor<double> loss = hidden.Linear(n.Parameters[2], n.Parameters[3]).BinaryCrossEntropyWithLogits(n.Y);
            loss.Backward();
            return loss;
        }

        CapturedStep<double> captured = null!;
        for (int s = 0; s < 3; s++)
        {
            (Tensor<double> x, Tensor<double> y) = CaptureBatches.Batch<double>(3, s);
            eager.X.CopyFrom(x.AsReadOnlySpan());
            eager.Y.CopyFrom(y.AsReadOnlySpan());
            Tensor<double> eagerHidden = null!;
            Step(eager, h => eagerHidden = h);
            if (s == 0)
            {
                net.X.CopyFrom(x.AsReadOnlySpan());
                net.Y.CopyFrom(y.AsReadOnlySpan());
                captured = MiniNet.Autograd.CaptureStep(() => Step(net, h => retained = h));
            }
            else
            {
                captured.Replay(x, y);
            }

            calls.Should().Be(s + 1);
            retained.Grad!.ToArray().Should().Equal(eagerHidden.Grad!.ToArray());
            net.Parameters[0].Grad!.ToArray().Should().Equal(eager.Parameters[0].Grad!.ToArray(), "the hook doubled it");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Replay_WithStepInBackward_IsBitIdenticalToEagerStepsInBackward(int batch)
    {
        // The fused Linear updates (plain SGD) and the end-of-walk ones (momentum) both repeat as the eager walk runs them.
        foreach (double momentum in new[] { 0.0, 0.9 })
        {
            var trace = new List<float[]>[2];
            for (int side = 0; side < 2; side++)
            {
                var net = new CaptureNet<float>(batch);
                var sgd = new Sgd<float>(net.Parameters, 0.5, momentum: momentum) { StepInBackward = true };
                trace[side] = new List<float[]>();
                CapturedStep<float>? captured = null;
                long fusedBefore = InBackward<float>.FusedSteps;
                try
                {
                    for (int s = 0; s < 4; s++)
                    {
                        (Tensor<float> x, Tensor<float> y) = CaptureBatches.Batch<float>(batch, s);
                        if (side == 1 && captured is not null)
                        {
                            captured.Replay(x, y);
                        }
                        else
                        {
                            net.X.CopyFrom(x.AsReadOnlySpan());
                            net.Y.CopyFrom(y.AsReadOnlySpan());
                            Func<Tensor<float>> step = () =>
                            {
                                Tensor<float> loss = net.Loss();
                                loss.Backward();
                                return loss;
                            };
                            _ = side == 1 ? (captured = MiniNet.Autograd.CaptureStep(step)).Output : step();
                        }

                        trace[side].AddRange(net.Parameters.Select(p => p.ToArray()));
                    }
                }
                finally
                {
                    sgd.StepInBackward = false;
                }

                (InBackward<float>.FusedSteps - fusedBefore).Should().Be(momentum == 0 ? 16 : 0, "plain SGD fuses all four Linear parameters each step");
            }

            trace[1].Should().BeEquivalentTo(trace[0], o => o.WithStrictOrdering(), $"momentum {momentum}");
        }
    }

    [Fact]
    public void Replay_WithoutZeroGrad_AccumulatesGradientsAsEagerStepsDo()
    {
        // Gradients present at capture: each replay adds to them, as eager Backward() does without ZeroGrad().
        var eager = new CaptureNet<double>(3);
        var replayed = new CaptureNet<double>(3);
        foreach (CaptureNet<double> net in new[] { eager, replayed })
        {
            (Tensor<double> x, Tensor<double> y) = CaptureBatches.Batch<double>(3, 0);
            net.X.CopyFrom(x.AsReadOnlySpan());
            net.Y.CopyFrom(y.AsReadOnlySpan());
            net.Loss().Backward();
        }

        CapturedStep<double> captured = MiniNet.Autograd.CaptureStep(() =>
        {
            Tensor<double> loss = replayed.Loss();
            loss.Backward();
            return loss;
        });
        for (int s = 0; s < 3; s++)
        {
            if (s > 0)
            {
                captured.Replay();
            }

            eager.Loss().Backward();
        }

        replayed.Parameters.Select(p => p.Grad!.ToArray()).Should().BeEquivalentTo(eager.Parameters.Select(p => p.Grad!.ToArray()), o => o.WithStrictOrdering());
    }
}
