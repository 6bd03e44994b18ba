using System;
using System.Collections.Generic;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Benchmarks;

/// <summary>
/// The pointwise activations of issue 11, forward and backward with a random upstream gradient on 1M floats:
/// exact GELU (float: float lanes, GeluFloatLanes), its tanh form, SiLU, softplus and tanh.
/// </summary>
internal static class PointwiseWorkloads
{
    /// <summary>Adds the rows.</summary>
    public static void Register(List<Func<Workload>> workloads)
    {
        const int count = 1 << 20;
        workloads.Add(() => Activation("gelu fwd+bwd f32", count, x => x.Gelu(), F.gelu));
        workloads.Add(() => Activation("gelu tanh fwd+bwd f32", count, x => x.Gelu(GeluApproximation.Tanh), t => F.gelu(t, TorchSharp.Modules.GELU.Approximate.tanh)));
        workloads.Add(() => Activation("silu fwd+bwd f32", count, x => x.Silu(), t => F.silu(t)));
        workloads.Add(() => Activation("softplus fwd+bwd f32", count, x => x.Softplus(), t => F.softplus(t)));
        workloads.Add(() => Activation("tanh fwd+bwd f32", count, x => x.Tanh(), t => t.tanh()));
        workloads.Add(() => Recorded("add f32 recorded", count, (a, b) => a + b, (a, b) => a.add(b)));
        workloads.Add(() => Recorded("sigmoid f32 recorded", count, (a, _) => a.Sigmoid(), (a, _) => torch.sigmoid(a)));
    }

    // The forward op with grad mode on and inputs that require a gradient, so the op is recorded (the output holds its
    // graph node), never disposed and never differentiated: the undisposed-output case of issue 14 with a tape.
    private static Workload Recorded(string name, int count, Func<Tensor<float>, Tensor<float>, Tensor<float>> mini, Func<TT, TT, TT> oracle)
    {
        var rng = new Rng(12);
        Tensor<float> a = Tensor.Randn<float>(rng, count), b = Tensor.Randn<float>(rng, count);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        TT ta = Workloads.Torch(a.Detach(), requiresGrad: true), tb = Workloads.Torch(b.Detach(), requiresGrad: true);
        return new Workload
        {
            Name = name,
            Size = $"{count >> 20}M",
            Threads = 1,
            WorkPerStep = 3.0 * sizeof(float) * count,
            ThroughputUnit = "GB/s",
            MiniNet = () => _ = mini(a, b),
            TorchSharp = () =>
            {
                using TT c = oracle(ta, tb);
            },
        };
    }

    private static Workload Activation(string name, int count, Func<Tensor<float>, Tensor<float>> mini, Func<TT, TT> oracle)
    {
        var rng = new Rng(11);
        Tensor<float> x = Tensor.Randn<float>(rng, count) * 2f, g = Tensor.Randn<float>(rng, count);
        x.RequiresGrad = true;
        TT tx = Workloads.Torch(x.Detach(), requiresGrad: true), tg = Workloads.Torch(g);
        return new Workload
        {
            Name = name,
            Size = $"{count >> 20}M",
            Threads = 1,
            // Forward reads x and writes y; backward reads x (or y) and g and read-modify-writes the gradient.
            WorkPerStep = 6.0 * sizeof(float) * count,
            ThroughputUnit = "GB/s",
            MiniNet = () =>
            {
                x.ReleaseGrad(); // as an optimizer's ZeroGrad() (set_to_none, the default): Grad reads null, the buffer is reused
                using (Autograd.RecycleIntermediates())
                {
                    mini(x).Backward(g);
                }
            },
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                tx.grad = null;
                oracle(tx).backward(new[] { tg });
            },
        };
    }
}
