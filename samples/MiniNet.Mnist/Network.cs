using System;
using MiniNet.Data;
using MiniNet.NN;

namespace MiniNet.Samples.Mnist;

/// <summary>The network, its cost and its evaluation.</summary>
internal static class Network
{
    /// <summary>Nielsen's [in, hidden, out] network with his default initialisation (weights N(0, 1/n_in), biases N(0, 1)).</summary>
    public static Sequential Create(int inputs, int hidden, int outputs, Rng rng) =>
        new(new Linear(inputs, hidden, rng, init: InitScheme.Nielsen), new Sigmoid(), new Linear(hidden, outputs, rng, init: InitScheme.Nielsen));

    public static string Describe(LossKind loss) => loss switch
    {
        LossKind.Bce => "sigmoid + binary cross-entropy (fused, summed over outputs / batch size)",
        LossKind.Ce => "softmax cross-entropy (fused, mean over the batch)",
        _ => "quadratic (1/2n) sum ||y - a||^2",
    };

    /// <summary>The cost of a batch, from the network's output logits z.</summary>
    public static Tensor<float> Loss(Tensor<float> logits, Batch<float> batch, LossKind loss) => loss switch
    {
        // Nielsen's cross-entropy cost: sum over the 10 outputs, divide by the batch size n.
        LossKind.Bce => logits.BinaryCrossEntropyWithLogits(batch.Targets, Reduction.BatchMean),
        LossKind.Ce => logits.CrossEntropy(batch.Labels, Reduction.Mean),
        _ => logits.Sigmoid().MseLoss(batch.Targets, Reduction.BatchMean).Mul(0.5f),
    };

    /// <summary>The fraction of <paramref name="images"/> whose largest output is the label, evaluated without recording.</summary>
    public static double Accuracy(Sequential network, Tensor<float> images, ReadOnlySpan<int> labels)
    {
        network.Eval();
        int correct = 0;
        const int Chunk = 1000;
        using (Autograd.NoGrad())
        {
            for (int start = 0; start < labels.Length; start += Chunk)
            {
                int count = Math.Min(Chunk, labels.Length - start);
                int[] predicted = Labels.ArgMax(network.Forward(images.Rows(start, count)));
                for (int i = 0; i < count; i++)
                {
                    correct += predicted[i] == labels[start + i] ? 1 : 0;
                }
            }
        }

        network.Train();
        return (double)correct / labels.Length;
    }
}
