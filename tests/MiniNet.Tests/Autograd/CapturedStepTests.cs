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
    // Eager: ZeroGrad(); loss; Backward(); Step(), with the batch copied into X and Y, and the rate changed at step 3.
    // Captured: step 0 is the capture, the rest replays. Returns loss, gradients and parameters after every step.
    // With clipAndSchedule the step also clips the gradients and advances a StepLR (both captured), instead of the
    // rate being set between steps.
    private static List<T[]> Train<T>(Func<Tensor<T>[], Optimizer<T>> create, bool capture, bool mse, int steps = 5, int batch = 4, bool clipAndSchedule = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var net = new CaptureNet<T>(batch, mse);
        Optimizer<T> optimizer = create(net.Parameters);
        StepLR? schedule = clipAndSchedule ? new StepLR(optimizer, stepSize: 2, gamma: 0.5) : null;
        var trace = new List<T[]>();
        CapturedStep<T>? captured = null;
        for (int s = 0; s < steps; s++)
        {
            (Tensor<T> x, Tensor<T> y) = CaptureBatches.Batch<T>(batch, s);
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
    public void Replay_AllocatesNothing()
    {
        var net = new CaptureNet<float>(8);
        var optimizer = new Adam<float>(net.Parameters, 0.01);
        CapturedStep<float> captured = MiniNet.Autograd.CaptureStep(() =>
        {
            Tensor<float> loss = net.Loss();
            loss.Backward();
            optimizer.Step();
            return loss;
        });
        (Tensor<float> x, Tensor<float> y) = CaptureBatches.Batch<float>(8, 1);
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
