using System;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Benchmarks;

/// <summary>
/// The convnet rows of issue 12: Conv2d forward+backward (32 -> 64 channels, 3x3, 26x26 input, the second layer of
/// PyTorch's examples/mnist network) and that network's whole training step (forward, cross-entropy, backward,
/// Adadelta step). Both sides start from the same values and use their library's functional ops and optimizer.
/// </summary>
internal static class CnnWorkloads
{
    /// <summary>Flops of one conv 32->64 3x3 on 26x26 per image: 2 * 64 * 24 * 24 * (32 * 9).</summary>
    private const double ConvFlopsPerImage = 2.0 * 64 * 24 * 24 * 32 * 9;

    /// <summary>
    /// Multiply-add flops of one CNN training step per image: forward, input gradient and weight gradient of every
    /// layer (the first conv has no input gradient); pooling, ReLU, dropout and the optimizer are not counted.
    /// </summary>
    private const double CnnFlopsPerImage =
        (2 * 2.0 * 32 * 26 * 26 * 9) + (3 * ConvFlopsPerImage) + (3 * 2.0 * 9216 * 128) + (3 * 2.0 * 128 * 10);

    /// <summary>Adds the rows: conv at batch 1 and 64, the CNN step at batch 1, 16, 64 on 1 thread and 64 on 2 threads.</summary>
    public static void Register(System.Collections.Generic.List<Func<Workload>> workloads)
    {
        workloads.Add(() => Conv2dForwardBackward(1, 1));
        workloads.Add(() => Conv2dForwardBackward(64, 1));
        foreach (int batch in new[] { 1, 16, 64 })
        {
            workloads.Add(() => CnnTrainingStep(batch, 1));
        }

        workloads.Add(() => CnnTrainingStep(64, 2));
    }

    /// <summary><c>x.Conv2d(w, b)</c> and its backward with a random upstream gradient: dX, dW and dB.</summary>
    public static Workload Conv2dForwardBackward(int batch, int threads)
    {
        var rng = new Rng(3);
        Tensor<float> x = Tensor.Randn<float>(rng, batch, 32, 26, 26);
        Tensor<float> w = Tensor.Randn<float>(rng, 64, 32, 3, 3) * 0.06f, b = Tensor.Randn<float>(rng, 64) * 0.06f;
        Tensor<float> g = Tensor.Randn<float>(rng, batch, 64, 24, 24);
        TT tx = Workloads.Torch(x, true), tw = Workloads.Torch(w, true), tb = Workloads.Torch(b, true), tg = Workloads.Torch(g);
        x.RequiresGrad = w.RequiresGrad = b.RequiresGrad = true;
        return new Workload
        {
            Name = "conv2d fwd+bwd",
            Size = $"32->64 3x3 26² B={batch}",
            Threads = threads,
            WorkPerStep = 3 * batch * ConvFlopsPerImage,
            ThroughputUnit = "GFLOP/s",
            Baseline = FmaProbe.For<float>(3 * batch * ConvFlopsPerImage, threads),
            BaselineIsPeak = true,
            MiniNet = () =>
            {
                // What an optimizer's ZeroGrad() (set_to_none, the default) does: Grad reads null, the buffer is reused.
                x.ReleaseGrad();
                w.ReleaseGrad();
                b.ReleaseGrad();
                using (Autograd.RecycleIntermediates())
                {
                    x.Conv2d(w, b).Backward(g);
                }
            },
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                tx.grad = null;
                tw.grad = null;
                tb.grad = null;
                F.conv2d(tx, tw, tb).backward(new[] { tg });
            },
        };
    }

    /// <summary>One training step of PyTorch's examples/mnist network on a [B, 1, 28, 28] batch, Adadelta lr 1.0.</summary>
    public static Workload CnnTrainingStep(int batch, int threads)
    {
        var rng = new Rng(4);
        Tensor<float>[] parameters =
        {
            Uniform(rng, 1 * 9, 32, 1, 3, 3), Uniform(rng, 1 * 9, 32),
            Uniform(rng, 32 * 9, 64, 32, 3, 3), Uniform(rng, 32 * 9, 64),
            Uniform(rng, 9216, 128, 9216), Uniform(rng, 9216, 128),
            Uniform(rng, 128, 10, 128), Uniform(rng, 128, 10),
        };
        foreach (Tensor<float> p in parameters)
        {
            p.RequiresGrad = true;
        }

        Tensor<float> x = Tensor.Randn<float>(rng, batch, 1, 28, 28);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = rng.NextInt(10);
        }

        TT tx = Workloads.Torch(x), tlabels = torch.tensor(Array.ConvertAll(labels, l => (long)l), dtype: torch.int64);
        Workloads.Keep.Add(tlabels);
        var tparams = Array.ConvertAll(parameters, p => new TorchSharp.Modules.Parameter(Workloads.Torch(p.Detach())));
        var adadelta = new MiniNet.Optim.Adadelta(parameters, 1.0);
        var torchAdadelta = torch.optim.Adadelta(tparams, 1.0);
        var dropoutRng = new Rng(5);
        return new Workload
        {
            // Not "train ...": the harness would run 1,000-10,000 extra steady-state steps, minutes per row at B=64.
            Name = "mnist cnn step",
            Size = $"B={batch}",
            Threads = threads,
            WorkPerStep = batch * CnnFlopsPerImage,
            ThroughputUnit = "GFLOP/s",
            Baseline = FmaProbe.For<float>(batch * CnnFlopsPerImage, threads),
            BaselineIsPeak = true,
            MiniNet = () =>
            {
                adadelta.ZeroGrad();
                using (Autograd.RecycleIntermediates())
                {
                    Tensor<float> h = x.Conv2d(parameters[0], parameters[1]).Relu().Conv2d(parameters[2], parameters[3]).Relu();
                    h = h.MaxPool2d(2).Dropout(0.25, dropoutRng).Flatten();
                    h = h.Linear(parameters[4], parameters[5]).Relu().Dropout(0.5, dropoutRng);
                    h.Linear(parameters[6], parameters[7]).CrossEntropy(labels, Reduction.Mean).Backward();
                }

                adadelta.Step();
            },
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                torchAdadelta.zero_grad();
                TT h = F.relu(F.conv2d(F.relu(F.conv2d(tx, tparams[0], tparams[1])), tparams[2], tparams[3]));
                h = torch.flatten(F.dropout(F.max_pool2d(h, 2), 0.25, true), 1);
                h = F.dropout(F.relu(F.linear(h, tparams[4], tparams[5])), 0.5, true);
                F.cross_entropy(F.linear(h, tparams[6], tparams[7]), tlabels).backward();
                torchAdadelta.step();
            },
        };
    }

    /// <summary>PyTorch's default conv/linear init: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).</summary>
    private static Tensor<float> Uniform(Rng rng, int fanIn, params int[] shape)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        return (Tensor.Rand<float>(rng, shape) * (2 * bound)) - bound;
    }
}
