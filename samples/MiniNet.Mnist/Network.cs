using System;
using MiniNet.Data;
using MiniNet.NN;

namespace MiniNet.Samples.Mnist;

/// <summary>The network, its cost and its evaluation: the one place that knows which model <c>--model</c> builds.</summary>
internal static class Network
{
    /// <summary>Builds the network <paramref name="options"/> ask for, for <paramref name="inputs"/> features and <paramref name="outputs"/> classes.</summary>
    public static Sequential Create(Options options, int inputs, int outputs, Rng rng) => options.Model switch
    {
        // PyTorch's examples/mnist network (its Net, as one Sequential): two 3x3 convolutions, max-pool, dropout, two
        // linear layers; the log-softmax is inside the cross-entropy loss.
        ModelKind.Cnn => new(
            new Conv2d(1, 32, 3, rng, init: options.InitScheme), new Relu(),
            new Conv2d(32, 64, 3, rng, init: options.InitScheme), new Relu(),
            new MaxPool2d(2), new Dropout(0.25, rng), new Flatten(),
            new Linear(64 * Pooled(inputs) * Pooled(inputs), 128, rng, init: options.InitScheme), new Relu(),
            new Dropout(0.5, rng), new Linear(128, outputs, rng, init: options.InitScheme)),

        // Nielsen's [in, hidden, out] sigmoid network; the output layer's sigmoid (or softmax) is inside the loss.
        _ => new(new Linear(inputs, options.Hidden, rng, init: options.InitScheme), new Sigmoid(), new Linear(options.Hidden, outputs, rng, init: options.InitScheme)),
    };

    /// <summary>
    /// The CNN's view of a whole image set, made once before training rather than per batch: flattened images [N, 784]
    /// as [N, 1, 28, 28], normalised with the data set's mean and standard deviation as PyTorch's example does
    /// (<c>transforms.Normalize((0.1307,), (0.3081,))</c> for MNIST; <see cref="Normalisation"/>). The MLP takes the
    /// flattened images as they are.
    /// </summary>
    public static Tensor<float> Inputs(Options options, Tensor<float> images)
    {
        if (options.Model != ModelKind.Cnn)
        {
            return images;
        }

        int side = Side(images.Shape[1]);
        (float mean, float std) = Normalisation(options.Dataset);
        using (Autograd.NoGrad())
        {
            // One copy (Reshape would be a view of the caller's images), normalised in place: the values of
            // .Add(-mean).Div(std) without a second 188 MB tensor for 60,000 images.
            Tensor<float> normalised = Tensor.FromArray(images.AsReadOnlySpan(), new Shape(images.Shape[0], 1, side, side));
            Span<float> values = normalised.AsSpanForWrite();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (values[i] - mean) / std;
            }

            return normalised;
        }
    }

    /// <summary>
    /// The pixel mean and standard deviation of the training images (scaled to [0, 1]): MNIST's 0.1307 and 0.3081 (PyTorch's
    /// examples/mnist), Fashion-MNIST's 0.2860 and 0.3530 (measured over its 60,000 training images:
    /// <c>MnistCnnSampleTests</c> checks both).
    /// </summary>
    public static (float Mean, float Std) Normalisation(DatasetKind dataset) =>
        dataset == DatasetKind.Fashion ? (0.2860f, 0.3530f) : (0.1307f, 0.3081f);

    /// <summary>The side of the CNN's feature maps after two unpadded 3x3 convolutions and a 2x2 max-pool (12 for 28x28).</summary>
    private static int Pooled(int pixels) => (Side(pixels) - 4) / 2;

    /// <summary>The side of a square image of <paramref name="pixels"/> pixels.</summary>
    private static int Side(int pixels)
    {
        int side = (int)Math.Round(Math.Sqrt(pixels));
        return side * side == pixels && side > 4
            ? side
            : throw new ArgumentException($"--model cnn needs square images of at least 5x5 pixels; the data has {pixels} pixels per image");
    }

    /// <summary>One line describing the network and the run.</summary>
    public static string Describe(Options o, int inputs, int outputs) => o.Model == ModelKind.Cnn
        ? $"PyTorch's examples/mnist CNN (conv 1->32 3x3, ReLU, conv 32->64 3x3, ReLU, max-pool 2, dropout 0.25, linear ->128, ReLU, dropout 0.5, linear ->{outputs}), " +
          $"init {o.Init.ToString().ToLowerInvariant()}, loss {Describe(o.Loss)}, {o.Optimizer.ToString().ToLowerInvariant()} lr={o.LearningRate}, StepLR gamma {o.LrGamma}, " +
          $"batch {o.BatchSize}, {o.Epochs} epochs, seed {o.Seed}"
        : $"[{inputs}, {o.Hidden}, {outputs}] sigmoid hidden layer, init {o.Init.ToString().ToLowerInvariant()}, loss {Describe(o.Loss)}, " +
        $"{o.Optimizer.ToString().ToLowerInvariant()} eta={o.LearningRate}, lambda={o.Lambda}, batch {o.BatchSize}, {o.Epochs} epochs, seed {o.Seed}" +
          (o.LrGamma == 1 ? string.Empty : $", StepLR gamma {o.LrGamma}");

    private static string Describe(LossKind loss) => loss switch
    {
        LossKind.Bce => "sigmoid + binary cross-entropy (fused, summed over outputs / batch size)",
        LossKind.Ce => "softmax cross-entropy (fused, mean over the batch)",
        _ => "quadratic (1/2n) sum ||y - a||^2",
    };

    /// <summary>The mean cost per example of a batch, from the network's output logits z.</summary>
    public static Tensor<float> Loss(Tensor<float> logits, Tensor<float> targets, ReadOnlySpan<int> labels, LossKind loss) => loss switch
    {
        // Nielsen's cross-entropy cost: sum over the 10 outputs, divide by the batch size n.
        LossKind.Bce => logits.BinaryCrossEntropyWithLogits(targets, Reduction.BatchMean),
        LossKind.Ce => logits.CrossEntropy(labels, Reduction.Mean),
        _ => logits.Sigmoid().MseLoss(targets, Reduction.BatchMean).Mul(0.5f),
    };

    /// <summary>
    /// Cost and accuracy over a whole set, without recording, as network2.py's <c>total_cost</c> and <c>accuracy</c>:
    /// the cost is the mean cost per example plus the L2 term <c>(lambda / 2n) sum ||w||^2</c> with n the size of
    /// <em>this</em> set (weights only, no biases), as the book computes it for training and evaluation data alike.
    /// </summary>
    public static (double Cost, double Accuracy) Evaluate(Sequential network, EvaluationSet set, LossKind loss, double lambda)
    {
        // The CNN's activations are ~55 KB per image (conv 32x26x26 and 64x24x24, twice with the ReLUs), so 1,000 images
        // made ~550 MB of short-lived large-object-heap tensors per chunk: peak RSS reached 2.4-2.9 GB in a run that
        // trained on 64 images and evaluated the 10,000 test images once (1.2 GB with chunks of 100; 0.63 GB for the MLP).
        int chunk = set.Images.Rank == 4 ? 100 : 1000;
        int n = set.Labels.Length, correct = 0;
        double costSum = 0;
        network.Eval();
        using (Autograd.NoGrad())
        {
            for (int start = 0; start < n; start += chunk)
            {
                int count = Math.Min(chunk, n - start);
                Tensor<float> logits = network.Forward(set.Images.Rows(start, count));
                ReadOnlySpan<int> labels = set.Labels.AsSpan(start, count);
                costSum += Loss(logits, set.Targets.Rows(start, count), labels, loss).Item() * count;
                correct += Labels.CountCorrect(logits, labels);
            }
        }

        network.Train();
        return ((costSum / n) + L2Term(network, lambda, n), (double)correct / n);
    }

    /// <summary>Nielsen's L2 term of the cost, <c>(lambda / 2n) sum ||w||^2</c> over the weights (not the biases).</summary>
    public static double L2Term(Sequential network, double lambda, int n)
    {
        if (lambda == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach ((string name, Tensor<float> parameter) in network.NamedParameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                foreach (float w in parameter.AsReadOnlySpan())
                {
                    sum += (double)w * w;
                }
            }
        }

        return 0.5 * lambda / n * sum;
    }
}

/// <summary>Images, one-hot targets and labels of a set the sample evaluates on.</summary>
internal sealed record EvaluationSet(string Name, Tensor<float> Images, Tensor<float> Targets, int[] Labels)
{
    /// <summary>Rows <paramref name="start"/>..start+count of a dataset split.</summary>
    public static EvaluationSet Slice(string name, Tensor<float> images, byte[] labels, int start, int count, int classes)
    {
        ReadOnlySpan<byte> rows = labels.AsSpan(start, count);
        return new(name, images.Rows(start, count), Data.Labels.OneHot(rows, classes), Data.Labels.ToInt32(rows));
    }
}
