using System;
using System.Threading;
using FluentAssertions;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Autograd;

/// <summary>What <see cref="MiniNet.Autograd.CaptureStep{T}"/> cannot replay is refused at capture, naming it, and leaves no capture behind.</summary>
public class CapturedStepRefusalTests
{
    private static (Tensor<float> W, Tensor<float> B, Tensor<float> X, Tensor<float> Y) Layer()
    {
        var rng = new Rng(3);
        Tensor<float> w = Tensor.Randn<float>(rng, 2, 5), b = Tensor.Randn<float>(rng, 2);
        w.RequiresGrad = true;
        b.RequiresGrad = true;
        return (w, b, Tensor.Randn<float>(rng, 4, 5), Tensor.Rand<float>(rng, 4, 2));
    }

    // After a refused capture, an eager step still works and records nothing into a stale capture.
    private static void ThrowsThenEagerStillWorks(Func<Tensor<float>> step, string because, params string[] fragments)
    {
        Action capture = () => MiniNet.Autograd.CaptureStep(step);
        var thrown = capture.Should().Throw<Exception>().Which;
        foreach (string fragment in fragments)
        {
            thrown.Message.Should().Contain(fragment, because);
        }

        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        x.Linear(w, b).BinaryCrossEntropyWithLogits(y).Backward();
        w.Grad.Should().NotBeNull();
    }

    [Fact]
    public void Refuses_AnOpWithoutReplayKernel_NamingIt()
    {
        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        ThrowsThenEagerStillWorks(() => x.Linear(w, b).Relu().BinaryCrossEntropyWithLogits(y), "ReLU has no replay kernel", "Relu", "cannot be replayed");
    }

    [Fact]
    public void Refuses_ATensorCreatedInTheCaptureThatReplayWouldNotRecompute()
    {
        // y * 0.5 needs no gradient, so it is not recorded: a replay would keep reading this capture's value.
        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        ThrowsThenEagerStillWorks(() => x.Linear(w, b).BinaryCrossEntropyWithLogits(y * 0.5f), "the halved targets", "input 1 of BinaryCrossEntropyWithLogits", "[4, 2]", "created during the capture");
    }

    [Fact]
    public void Replay_Throws_WhenStepInBackwardChangedSinceTheCapture()
    {
        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        var sgd = new Sgd<float>([w, b], 0.1) { StepInBackward = true };
        try
        {
            CapturedStep<float> captured = MiniNet.Autograd.CaptureStep(() =>
            {
                Tensor<float> loss = x.Linear(w, b).BinaryCrossEntropyWithLogits(y);
                loss.Backward();
                return loss;
            });
            sgd.StepInBackward = false;
            float[] before = w.ToArray();
            Action replay = () => captured.Replay();
            replay.Should().Throw<InvalidOperationException>().WithMessage("*StepInBackward was on when the step was captured and is off now*");
            w.ToArray().Should().Equal(before, "nothing ran");
        }
        finally
        {
            sgd.StepInBackward = false;
        }
    }

    [Fact]
    public void Refuses_CreateGraph()
    {
        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        ThrowsThenEagerStillWorks(
            () =>
            {
                Tensor<float> loss = x.Linear(w, b).BinaryCrossEntropyWithLogits(y);
                loss.Backward(createGraph: true);
                return loss;
            },
            "gradients with a graph are new tensors",
            "createGraph");
    }

    [Fact]
    public void Refuses_NestingAndAReturnedTensorNoCapturedOpProduced()
    {
        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        ThrowsThenEagerStillWorks(() => MiniNet.Autograd.CaptureStep(() => x.Linear(w, b)).Output, "captures do not nest", "do not nest");
        ThrowsThenEagerStillWorks(() => w, "the weight is not an op's output", "no captured op produced");
    }

    [Fact]
    public void Replay_Throws_OnAnotherShapeCountOrThread_NamingTheShapes()
    {
        (Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) = Layer();
        CapturedStep<float> captured = MiniNet.Autograd.CaptureStep(() => x.Linear(w, b).BinaryCrossEntropyWithLogits(y));
        captured.Inputs.Should().Equal([x, y]);

        Action wrongShape = () => captured.Replay(Tensor.Zeros<float>(3, 5), y);
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*input 0 has shape [3, 5]*captured with [4, 5]*");
        Action wrongCount = () => captured.Replay(x);
        wrongCount.Should().Throw<ArgumentException>().WithMessage("*got 1 inputs*reading 2*");
        Exception? onOtherThread = null;
        float[] before = x.ToArray();
        var thread = new Thread(() => onOtherThread = Record.Exception(() => captured.Replay(Tensor.Ones<float>(4, 5), y)));
        thread.Start();
        thread.Join();
        onOtherThread.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("another thread");
        x.ToArray().Should().Equal(before, "a refused replay copies nothing into the captured inputs");
    }
}
