using System.Numerics;

namespace MiniNet.Tests.Autograd;

/// <summary>12-6-3: Linear, Sigmoid, Linear, then BCE-with-logits (or MatMul + MSE), as the benchmark's 784-100-10.</summary>
internal sealed class CaptureNet<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public CaptureNet(int batch, bool mse = false)
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

/// <summary>The data stream of the captured-step tests.</summary>
internal static class CaptureBatches
{
    // Batch s of a seeded stream: the same on both sides, different every step.
    public static (Tensor<T> X, Tensor<T> Y) Batch<T>(int batch, int s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(100 + (ulong)s);
        return (Tensor.Randn<T>(rng, batch, 12), Tensor.Rand<T>(rng, batch, 3));
    }
}
