using System;
using MiniNet.NN;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Benchmarks;

/// <summary>
/// The convolution issue's rows: one Conv2d forward + backward, and the whole training step of PyTorch's
/// examples/mnist CNN. Both libraries get the same inputs; the CNN's weights are copied from MiniNet's.
/// </summary>
internal static class CnnWorkloads
{
    /// <summary>Conv2d 32->64, 3x3, on [B, 32, 26, 26] (the CNN's second convolution): forward, dX, dW and db.</summary>
    public static Workload Conv2dForwardBackward(int batch, int threads)
    {
        var rng = new Rng(5);
        Tensor<float> x = Tensor.Randn<float>(rng, batch, 32, 26, 26), w = Tensor.Randn<float>(rng, 64, 32, 3, 3) * 0.06f;
        Tensor<float> b = Tensor.Randn<float>(rng, 64), g = Tensor.Randn<float>(rng, batch, 64, 24, 24);
        foreach (Tensor<float> p in new[] { x, w, b })
        {
            p.RequiresGrad = true;
        }

        TT tx = Workloads.Torch(x, requiresGrad: true), tw = Workloads.Torch(w, requiresGrad: true);
        TT tb = Workloads.Torch(b, requiresGrad: true), tg = Workloads.Torch(g);

        // 2·B·64·24·24·(32·9) flops each for the forward, dX and dW products.
        double flops = 3 * 2.0 * batch * 64 * 24 * 24 * 32 * 9;
        return new Workload
        {
            Name = "conv2d fwd+bwd",
            Size = $"32->64 3x3 26x26 B={batch}",
            Threads = threads,
            WorkPerStep = flops,
            ThroughputUnit = "GFLOP/s",
            Baseline = FmaProbe.For<float>(flops, threads),
            BaselineIsPeak = true,
            MiniNet = () =>
            {
                (x.Grad, w.Grad, b.Grad) = (null, null, null);
                x.Conv2d(w, b).Backward(g);
            },
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                (tx.grad, tw.grad, tb.grad) = (null, null, null);
                F.conv2d(tx, tw, tb).backward(new[] { tg });
            },
        };
    }

    /// <summary>
    /// One training step of PyTorch's examples/mnist CNN on a batch of [B, 1, 28, 28] digits: forward (dropout in
    /// training mode), cross-entropy, backward, Adadelta (lr 1.0), as <c>MiniNet.Mnist --model cnn</c> trains it.
    /// </summary>
    public static Workload CnnTrainingStep(int batch, int threads)
    {
        var rng = new Rng(6);
        Sequential net = new(
            new Conv2d(1, 32, 3, rng), new Relu(), new Conv2d(32, 64, 3, rng), new Relu(), new MaxPool2d(2),
            new Dropout(0.25, rng), new Flatten(), new Linear(9216, 128, rng), new Relu(), new Dropout(0.5, rng), new Linear(128, 10, rng));
        Tensor<float> x = Tensor.Rand<float>(rng, batch, 1, 28, 28);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = rng.NextInt(10);
        }

        var adadelta = new MiniNet.Optim.Adadelta(net.Parameters(), 1.0);
        var tnet = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Dropout(0.25), torch.nn.Flatten(), torch.nn.Linear(9216, 128), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(128, 10));
        using (torch.no_grad())
        {
            // Same weights on both sides: TorchSharp's parameters in order are MiniNet's (weight, bias per layer).
            var mine = net.Parameters();
            int k = 0;
            foreach (var p in tnet.parameters())
            {
                p.copy_(Workloads.Torch(mine[k++]));
            }
        }

        TT tx = Workloads.Torch(x), tlabels = torch.tensor(Array.ConvertAll(labels, l => (long)l), torch.int64);
        Workloads.Keep.Add(tlabels);
        var tadadelta = torch.optim.Adadelta(tnet.parameters(), 1.0);
        return new Workload
        {
            Name = "train mnist cnn",
            Size = $"B={batch}",
            Threads = threads,
            MiniNet = () =>
            {
                adadelta.ZeroGrad();
                using (Autograd.RecycleIntermediates())
                {
                    net.Forward(x).CrossEntropy(labels).Backward();
                }

                adadelta.Step();
            },
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                tadadelta.zero_grad();
                F.cross_entropy(tnet.call(tx), tlabels).backward();
                tadadelta.step();
            },
        };
    }
}
