using System;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Benchmarks;

/// <summary>How MiniNet's side of a training row runs its step; TorchSharp's side is always its standard step.</summary>
internal enum TrainingMode
{
    /// <summary><c>ZeroGrad(); forward; loss.Backward(); Step();</c> (row "train 784-100-10").</summary>
    Plain,

    /// <summary><c>Optimizer.StepInBackward</c>: the step is <c>loss.Backward()</c> alone (row "... in-bwd").</summary>
    StepInBackward,

    /// <summary>The plain step captured once with <c>Autograd.CaptureStep</c>, then <c>Replay()</c> (row "... captured").</summary>
    Captured,

    /// <summary><c>loss.Backward()</c> with <c>StepInBackward</c>, captured, then <c>Replay()</c> (row "... captured in-bwd").</summary>
    CapturedInBackward,
}

/// <content>The 784-100-10 training step.</content>
internal static partial class Workloads
{
    /// <summary>
    /// Flops of one 784-100-10 step: the forward product and the weight gradient of both layers (2·B·(784·100 + 100·10)
    /// each), and the input gradient of the second layer only (2·B·100·10): the batch needs no gradient, so neither
    /// library computes the first layer's input gradient.
    /// </summary>
    private static double TrainingFlops(int batch) => (4.0 * batch * ((784 * 100) + (100 * 10))) + (2.0 * batch * 100 * 10);

    /// <summary>
    /// 784-100-10 MLP, sigmoid hidden layer, BCE-with-logits (mean), plain SGD with lr 0.5. Weights are stored
    /// [out, in] and applied with the fused Linear op on both sides (F.linear in TorchSharp).
    /// </summary>
    /// <param name="batch">The batch size.</param>
    /// <param name="threads">The thread count for both libraries.</param>
    /// <param name="mode">How MiniNet's side steps; TorchSharp's side is unchanged, its standard <c>zero_grad(); backward(); step()</c>.</param>
    public static Workload TrainingStep(int batch, int threads, TrainingMode mode = TrainingMode.Plain)
    {
        const float lr = 0.5f;
        var rng = new Rng(2);
        Tensor<float> w1 = Tensor.Randn<float>(rng, 100, 784) * (1f / 28f), b1 = Tensor.Randn<float>(rng, 100);
        Tensor<float> w2 = Tensor.Randn<float>(rng, 10, 100) * 0.1f, b2 = Tensor.Randn<float>(rng, 10);
        Tensor<float>[] parameters = { w1, b1, w2, b2 };
        foreach (Tensor<float> p in parameters)
        {
            p.RequiresGrad = true;
        }

        Tensor<float> x = Tensor.Rand<float>(rng, batch, 784);
        var targets = new float[batch * 10];
        for (int i = 0; i < batch; i++)
        {
            targets[(i * 10) + rng.NextInt(10)] = 1f;
        }

        Tensor<float> y = Tensor.FromArray(targets, batch, 10);
        TT tx = Torch(x), ty = Torch(y);
        var tparams = Array.ConvertAll(parameters, p => new TorchSharp.Modules.Parameter(Torch(p.Detach())));

        // Both sides use their library's SGD optimizer and zero the gradients each step (the reference figures in
        // the performance issue were measured with optim.SGD).
        var sgd = new MiniNet.Optim.Sgd<float>(parameters, lr) { StepInBackward = mode is TrainingMode.StepInBackward or TrainingMode.CapturedInBackward };
        var torchSgd = torch.optim.SGD(tparams, lr);
        Tensor<float> Loss() => x.Linear(w1, b1).Sigmoid().Linear(w2, b2).BinaryCrossEntropyWithLogits(y);
        Action plain = () =>
        {
            sgd.ZeroGrad();
            using (Autograd.RecycleIntermediates())
            {
                Loss().Backward();
            }

            sgd.Step();
        };
        Action mini = mode switch
        {
            TrainingMode.StepInBackward => () =>
            {
                using (Autograd.RecycleIntermediates())
                {
                    Loss().Backward();
                }
            },
            TrainingMode.Captured => Autograd.CaptureStep(() =>
            {
                sgd.ZeroGrad();
                Tensor<float> loss = Loss();
                loss.Backward();
                sgd.Step();
                return loss;
            }).Replay,
            TrainingMode.CapturedInBackward => Autograd.CaptureStep(() =>
            {
                Tensor<float> loss = Loss();
                loss.Backward();
                return loss;
            }).Replay,
            _ => plain,
        };
        return new Workload
        {
            Name = mode switch
            {
                TrainingMode.StepInBackward => "train 784-100-10 in-bwd",
                TrainingMode.Captured => "train 784-100-10 captured",
                TrainingMode.CapturedInBackward => "train 784-100-10 captured in-bwd",
                _ => "train 784-100-10",
            },
            Size = $"B={batch}",
            Threads = threads,
            WorkPerStep = TrainingFlops(batch),
            ThroughputUnit = "GFLOP/s",
            Baseline = FmaProbe.For<float>(TrainingFlops(batch), threads),
            BaselineIsPeak = true,
            MiniNet = mini,
            Cleanup = () => sgd.StepInBackward = false,
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                torchSgd.zero_grad();
                TT hidden = torch.sigmoid(F.linear(tx, tparams[0], tparams[1]));
                TT loss = F.binary_cross_entropy_with_logits(F.linear(hidden, tparams[2], tparams[3]), ty);
                loss.backward();
                torchSgd.step();
            },
        };
    }
}
