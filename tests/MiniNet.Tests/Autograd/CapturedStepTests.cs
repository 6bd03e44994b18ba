using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Autograd;

/// <summary>
/// <see cref="MiniNet.Autograd.CaptureStep{T}"/>: a replay must leave parameters, gradients and loss bit-identical to
/// the same eager steps on the same batches, allocate nothing, and refuse what it cannot replay with a clear message.
/// </summary>
public class CapturedStepTests
{
    // 12-6-3: Linear, Sigmoid, Linear, then BCE-with-logits (or MatMul + MSE), as the benchmark's 784-100-10.
    private sealed class Net<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public Net(int batch, bool mse = false)
        {
            var rng = new Rng(11);
            Mse = mse;
            Parameters = [Tensor.Randn<T>(rng, 6, 12), Tensor.Randn<T>(rng, 6), mse ? Tensor.Randn<T>(rng, 6, 3) : Tensor.Randn<T>(rng, 3, 6), Tensor.Randn<T>(rng, 3)];
            foreach (Tensor<T> p in Parameters)
            {
                p.RequiresGrad = true;
            }

            X = Tensor.Zeros<T>(batch, 12);
            Y = Tensor.Zeros<T>(batch, 3);
        }

        public bool Mse { get; }

        public Tensor<T>[] Parameters { get; }

        public Tensor<T> X { get; }

        public Tensor<T> Y { get; }

        public Tensor<T> Loss()
        {
            Tensor<T> hidden = X.Linear(Parameters[0], Parameters[1]).Sigmoid();
            return Mse
                ? hidden.MatMul(Parameters[2]).MseLoss(Y)
                : hidden.Linear(Parameters[2], Parameters[3]).BinaryCrossEntropyWithLogits(Y);
        }
    }

    // Batch s of a seeded stream: the same on both sides, different every step.
    private static (Tensor<T> X, Tensor<T> Y) Batch<T>(int batch, int s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(100 + (ulong)s);
        return (Tensor.Randn<T>(rng, batch, 12), Tensor.Rand<T>(rng, batch, 3));
    }

    // Eager: ZeroGrad(); loss; Backward(); Step(), with the batch copied into X and Y, and the rate changed at step 3.
    // Captured: step 0 is the capture, the rest replays. Returns loss, gradients and parameters after every step.
    // With clipAndSchedule the step also clips the gradients and advances a StepLR (both captured), instead of the
    // rate being set between steps.
    private static List<T[]> Train<T>(Func<Tensor<T>[], Optimizer<T>> create, bool capture, bool mse, int steps = 5, int batch = 4, bool clipAndSchedule = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var net = new Net<T>(batch, mse);
        Optimizer<T> optimizer = create(net.Parameters);
        StepLR? schedule = clipAndSchedule ? new StepLR(optimizer, stepSize: 2, gamma: 0.5) : null;
        var trace = new List<T[]>();
        CapturedStep<T>? captured = null;
        for (int s = 0; s < steps; s++)
        {
            (Tensor<T> x, Tensor<T> y) = Batch<T>(batch, s);
            if (schedule is null)
            {
                optimizer.LearningRate = s >= 3 ? 0.05 : 0.1;
            }

            Tensor<T> loss;
            Func<Tensor<T>> step = () =>
            {
                optimizer.ZeroGrad();
                Tensor<T> l = net.Loss();
                l.Backward();
                if (schedule is not null)
                {
                    GradientClipping.ClipGradNorm(net.Parameters, maxNorm: 0.05);
                }

                optimizer.Step();
                schedule?.Step();
                return l;
            };
            if (!capture)
            {
                net.X.CopyFrom(x.AsReadOnlySpan());
                net.Y.CopyFrom(y.AsReadOnlySpan());
                loss = step();
            }
            else if (captured is null)
            {
                net.X.CopyFrom(x.AsReadOnlySpan());
                net.Y.CopyFrom(y.AsReadOnlySpan());
                captured = MiniNet.Autograd.CaptureStep(step);
                loss = captured.Output;
                captured.Inputs.Should().Equal([net.X, net.Y], "the data tensors, in the order the step read them");
            }
            else
            {
                captured.Replay(x, y);
                loss = captured.Output;
            }

            trace.Add(loss.ToArray());
            trace.AddRange(net.Parameters.Select(p => p.Grad?.ToArray() ?? [])); // MatMul + MSE leaves the last bias unused
            trace.AddRange(net.Parameters.Select(p => p.ToArray()));
        }

        return trace;
    }

    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "nesterov-decay", "adam" };

    private static Optimizer<T> Create<T>(string kind, Tensor<T>[] parameters)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => kind switch
        {
            "sgd" => new Sgd<T>(parameters, 0.1),
            "momentum" => new Sgd<T>(parameters, 0.1, momentum: 0.9),
            "nesterov-decay" => new Sgd<T>(parameters, 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
            _ => new Adam<T>(parameters, 0.1),
        };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Replay_IsBitIdenticalToEagerSteps_Float(string optimizer)
    {
        List<float[]> eager = Train<float>(p => Create(optimizer, p), capture: false, mse: false), replayed = Train<float>(p => Create(optimizer, p), capture: true, mse: false);
        replayed.Should().BeEquivalentTo(eager, o => o.WithStrictOrdering(), "loss, gradients and parameters after every step");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Replay_IsBitIdenticalToEagerSteps_DoubleMatMulMse(string optimizer)
    {
        List<double[]> eager = Train<double>(p => Create(optimizer, p), capture: false, mse: true), replayed = Train<double>(p => Create(optimizer, p), capture: true, mse: true);
        replayed.Should().BeEquivalentTo(eager, o => o.WithStrictOrdering(), "loss, gradients and parameters after every step");
    }

    [Fact]
    public void Replay_RepeatsGradientClippingAndTheScheduleStep()
    {
        List<float[]> eager = Train<float>(p => new Sgd<float>(p, 0.1, momentum: 0.9), capture: false, mse: false, clipAndSchedule: true);
        List<float[]> replayed = Train<float>(p => new Sgd<float>(p, 0.1, momentum: 0.9), capture: true, mse: false, clipAndSchedule: true);
        replayed.Should().BeEquivalentTo(eager, o => o.WithStrictOrdering(), "clipped gradients and decayed rates at every step");
    }

    [Fact]
    public void Replay_RunsHooksAndRetainGradEachTime()
    {
        // A hook on a parameter runs once per replay, and a retained intermediate gradient is this replay's.
        var net = new Net<double>(3);
        var eager = new Net<double>(3);
        int calls = 0;
        using RemovableHandle hook = net.Parameters[0].RegisterHook(g => { calls++; return g * 2.0; });
        using RemovableHandle eagerHook = eager.Parameters[0].RegisterHook(g => g * 2.0);
        Tensor<double> retained = null!;
        Tensor<double> Step(Net<double> n, Action<Tensor<double>> keep)
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
            (Tensor<double> x, Tensor<double> y) = Batch<double>(3, s);
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
                var net = new Net<float>(batch);
                var sgd = new Sgd<float>(net.Parameters, 0.5, momentum: momentum) { StepInBackward = true };
                trace[side] = new List<float[]>();
                CapturedStep<float>? captured = null;
                long fusedBefore = InBackward<float>.FusedSteps;
                try
                {
                    for (int s = 0; s < 4; s++)
                    {
                        (Tensor<float> x, Tensor<float> y) = Batch<float>(batch, s);
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
        var eager = new Net<double>(3);
        var replayed = new Net<double>(3);
        foreach (Net<double> net in new[] { eager, replayed })
        {
            (Tensor<double> x, Tensor<double> y) = Batch<double>(3, 0);
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

    [Fact]
    public void Replay_AllocatesNothing()
    {
        var net = new Net<float>(8);
        var optimizer = new Adam<float>(net.Parameters, 0.01);
        CapturedStep<float> captured = MiniNet.Autograd.CaptureStep(() =>
        {
            Tensor<float> loss = net.Loss();
            loss.Backward();
            optimizer.Step();
            return loss;
        });
        (Tensor<float> x, Tensor<float> y) = Batch<float>(8, 1);
        for (int i = 0; i < 5; i++)
        {
            captured.Replay(x, y); // the pool's transient gradient buffers settle
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            captured.Replay(x, y);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        captured.KernelCount.Should().Be(6, "Linear, Sigmoid, Linear, BCE, Backward, Step");
    }
}
