using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using MiniNet.Data;
using MiniNet.NN;
using MiniNet.Optim;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Samples.Validation;

/// <summary>
/// Trains PyTorch's examples/mnist convnet (conv 1->32 3x3, ReLU, conv 32->64 3x3, ReLU, max-pool 2, dropout 0.25,
/// flatten, linear 9216->128, ReLU, dropout 0.5, linear 128->10, cross-entropy) in MiniNet and in TorchSharp from the
/// same initial weights (MiniNet's PyTorch-default init, copied) on the same mini-batches, and compares them.
/// </summary>
/// <remarks>
/// The two libraries draw dropout masks from different generators, so each step draws both masks once from a seeded
/// MiniNet <see cref="Rng"/> (keep with probability 1 - p, kept values scaled by 1 / (1 - p), as
/// <c>F.dropout</c> does) and multiplies both sides by the same mask. Inputs are normalised with MNIST's mean 0.1307
/// and standard deviation 0.3081 as the example does, once in MiniNet, and copied to TorchSharp.
/// </remarks>
/// <typeparam name="T">float or double; TorchSharp runs in the matching dtype.</typeparam>
internal static class CnnSideBySide<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static Comparison Run(Options options, MnistDataset data, TextWriter output)
    {
        int side = (int)Math.Round(Math.Sqrt(data.TrainImages.Shape[1]));
        if (side * side != data.TrainImages.Shape[1] || side != 28)
        {
            throw new FormatException($"--model cnn needs 28x28 images; the data has {data.TrainImages.Shape[1]} pixels per image");
        }

        Tensor<T> trainX = Normalise(TorchBridge.Convert<T>(data.TrainImages)), testX = Normalise(TorchBridge.Convert<T>(data.TestImages));
        var labels = new T[data.TrainLabels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = T.CreateTruncating(data.TrainLabels[i]);
        }

        var initRng = new Rng(options.Seed);
        var mini = new Sequential<T>(
            new Conv2d<T>(1, 32, 3, initRng), new Conv2d<T>(32, 64, 3, initRng),
            new Linear<T>(9216, 128, initRng, init: InitScheme.PyTorchDefault), new Linear<T>(128, data.Classes, initRng, init: InitScheme.PyTorchDefault));
        IReadOnlyList<(string Name, Tensor<T> Parameter)> named = mini.NamedParameters();
        Tensor<T>[] p = Array.ConvertAll([.. named], n => n.Parameter);

        using var run = torch.NewDisposeScope();
        var tp = new TorchSharp.Modules.Parameter[named.Count];
        for (int i = 0; i < named.Count; i++)
        {
            tp[i] = new TorchSharp.Modules.Parameter(TorchBridge.ToTorch(named[i].Parameter));
        }

        (Optimizer<T> miniOptimizer, torch.optim.Optimizer torchOptimizer) = options.Optimizer switch
        {
            OptimizerKind.Adam => ((Optimizer<T>)new Adam<T>(mini.Parameters(), options.LearningRate), (torch.optim.Optimizer)torch.optim.Adam(tp, options.LearningRate)),
            OptimizerKind.Sgd => (new Sgd<T>(mini.Parameters(), options.LearningRate), torch.optim.SGD(tp, options.LearningRate)),
            _ => (new Adadelta<T>(mini.Parameters(), options.LearningRate), torch.optim.Adadelta(tp, options.LearningRate)),
        };

        output.WriteLine($"{"step",6} {"MiniNet loss",14} {"TorchSharp loss",16} {"|difference|",13} {"relative",10}");
        var loader = new DataLoader<T>(trainX, Tensor.FromArray(labels, labels.Length, 1), options.BatchSize, new Rng(options.Seed + 1), dropLast: true);
        var maskRng = new Rng(options.Seed + 2);
        double maxLossRelative = 0, lossRelativeBeforeFlip = 0, beforeFlip = 0;

        // float32 only: the step whose forward pass first decides a ReLU or max-pool argmax differently (see CnnDecisions).
        bool watchFlips = typeof(T) == typeof(float);
        int step = 0, firstFlip = 0;
        string flipLine = "";
        while (step < options.Steps)
        {
            foreach (Batch<T> batch in loader)
            {
                step++;
                int n = batch.Size;
                Tensor<T> x = batch.Inputs.Reshape(n, 1, side, side);
                int[] y = ToLabels(batch.Targets);
                Tensor<T> mask1 = Mask(maskRng, 0.25, n, 64, 12, 12), mask2 = Mask(maskRng, 0.5, n, 128);
                if (options.Decisions || (watchFlips && firstFlip == 0))
                {
                    (int Flips, string Line, double Weights) counted = CnnDecisions<T>.Count(step, p, tp, x, mask1);
                    if (options.Decisions)
                    {
                        CnnDecisions<T>.Report(output, step, options.Every, counted);
                    }

                    if (watchFlips && firstFlip == 0 && counted.Flips > 0)
                    {
                        (firstFlip, beforeFlip, flipLine) = (step, counted.Weights, counted.Line);
                    }
                }

                miniOptimizer.ZeroGrad();
                Tensor<T> loss = MiniForward(p, x, mask1, mask2).CrossEntropy(y, Reduction.Mean);
                loss.Backward();
                miniOptimizer.Step();
                double miniLoss = double.CreateTruncating(loss.Item());

                double torchLoss;
                using (torch.NewDisposeScope())
                {
                    torchOptimizer.zero_grad();
                    using TT ty = torch.tensor(Array.ConvertAll(y, l => (long)l), dtype: torch.int64);
                    TT tloss = F.cross_entropy(TorchForward(tp, TorchBridge.ToTorch(x), TorchBridge.ToTorch(mask1), TorchBridge.ToTorch(mask2)), ty);
                    tloss.backward();
                    torchOptimizer.step();
                    torchLoss = TorchBridge.Item(tloss);
                }

                double difference = Math.Abs(miniLoss - torchLoss), relative = difference / Math.Abs(torchLoss);
                maxLossRelative = Math.Max(maxLossRelative, relative);
                lossRelativeBeforeFlip = firstFlip == 0 ? maxLossRelative : lossRelativeBeforeFlip;
                if (step == 1 || step % options.Every == 0 || step == options.Steps)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step,6} {miniLoss,14:F9} {torchLoss,16:F9} {difference,13:0.00E+00} {relative,10:0.00E+00}"));
                }

                if (step == options.Steps)
                {
                    break;
                }
            }
        }

        Comparison comparison = SideBySide<T>.CompareWeights(named, tp, maxLossRelative, options.Steps, output);
        if (firstFlip > 1)
        {
            comparison = BeforeFirstFlip(firstFlip, beforeFlip, lossRelativeBeforeFlip, flipLine, output);
        }

        (int miniCorrect, int torchCorrect) = CountCorrect(p, tp, testX, data.TestLabels, side);
        int total = data.TestLabels.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: MiniNet {miniCorrect}/{total} ({100.0 * miniCorrect / total:F2}%), TorchSharp {torchCorrect}/{total} ({100.0 * torchCorrect / total:F2}%)"));
        return comparison;
    }

    /// <summary>
    /// The verdict once a ReLU sign or max-pool argmax differed in float32: the round-off bound assumes the two
    /// gradients differ only by summation order, which a flipped decision breaks (it routes a gradient elsewhere, and
    /// Adadelta takes a full-size step on it), so the weights are judged as they stood before that step.
    /// </summary>
    private static Comparison BeforeFirstFlip(int firstFlip, double beforeFlip, double lossRelative, string flipLine, TextWriter output)
    {
        int compared = firstFlip - 1;
        double bound = RoundOff.WeightBound<T>(compared);
        output.WriteLine($"first decision flip (ReLU sign or max-pool argmax decided differently by float32 rounding) at step {firstFlip}:");
        output.WriteLine(CnnDecisions<T>.Header);
        output.WriteLine(flipLine);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"from there on the round-off bound does not apply (a flipped decision routes a gradient elsewhere), so the final difference above is not judged; judged instead: the weights after step {compared}, max relative {beforeFlip:0.000E+00}, bound {compared} x {RoundOff.UlpsPerStep} ulps x u = {bound:0.0E+00} (--double is judged on the final weights)"));
        return new Comparison(lossRelative, double.NaN, beforeFlip, bound, $"the weights after step {compared} (before the first decision flip)");
    }

    /// <summary>The network with explicit dropout masks (<c>null</c>: evaluation, no dropout).</summary>
    private static Tensor<T> MiniForward(Tensor<T>[] p, Tensor<T> x, Tensor<T>? mask1, Tensor<T>? mask2)
    {
        Tensor<T> h = x.Conv2d(p[0], p[1]).Relu().Conv2d(p[2], p[3]).Relu().MaxPool2d(2);
        h = (mask1 is null ? h : h.Mul(mask1)).Flatten();
        h = h.Linear(p[4], p[5]).Relu();
        return (mask2 is null ? h : h.Mul(mask2)).Linear(p[6], p[7]);
    }

    private static TT TorchForward(TorchSharp.Modules.Parameter[] p, TT x, TT? mask1, TT? mask2)
    {
        TT h = F.max_pool2d(F.relu(F.conv2d(F.relu(F.conv2d(x, p[0], p[1])), p[2], p[3])), 2);
        h = torch.flatten(mask1 is null ? h : h * mask1, 1);
        h = F.relu(F.linear(h, p[4], p[5]));
        return F.linear(mask2 is null ? h : h * mask2, p[6], p[7]);
    }

    /// <summary>A dropout mask: 1 / (1 - p) with probability 1 - p, else 0.</summary>
    private static Tensor<T> Mask(Rng rng, double p, params int[] shape)
    {
        Tensor<T> uniform = Tensor.Rand<T>(rng, shape);
        T keep = T.One / T.CreateTruncating(1 - p), threshold = T.CreateTruncating(p);
        var values = new T[uniform.Count];
        ReadOnlySpan<T> u = uniform.AsReadOnlySpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = u[i] >= threshold ? keep : T.Zero;
        }

        return Tensor.FromArray(values, shape);
    }

    private static Tensor<T> Normalise(Tensor<T> images) => images.Add(T.CreateTruncating(-0.1307)).Div(T.CreateTruncating(0.3081));

    private static int[] ToLabels(Tensor<T> column)
    {
        ReadOnlySpan<T> values = column.AsReadOnlySpan();
        var result = new int[values.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = int.CreateTruncating(values[i]);
        }

        return result;
    }

    private static (int Mini, int Torch) CountCorrect(Tensor<T>[] p, TorchSharp.Modules.Parameter[] tp, Tensor<T> images, byte[] labels, int side)
    {
        const int Chunk = 1000;
        int mini = 0, torchCorrect = 0;
        for (int start = 0; start < labels.Length; start += Chunk)
        {
            int count = Math.Min(Chunk, labels.Length - start);
            Tensor<T> x = images.Rows(start, count).Reshape(count, 1, side, side);
            using (Autograd.NoGrad())
            {
                mini += Labels.CountCorrect(MiniForward(p, x, null, null), labels.AsSpan(start, count));
            }

            long[] torchPredicted;
            using (torch.NewDisposeScope())
            using (torch.no_grad())
            {
                torchPredicted = TorchForward(tp, TorchBridge.ToTorch(x), null, null).argmax(1).data<long>().ToArray();
            }

            for (int i = 0; i < count; i++)
            {
                torchCorrect += torchPredicted[i] == labels[start + i] ? 1 : 0;
            }
        }

        return (mini, torchCorrect);
    }
}
