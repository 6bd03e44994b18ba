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

/// <summary>The outcome of one side-by-side run.</summary>
/// <param name="MaxLossRelative">The largest per-step <c>|L_mini - L_torch| / |L_torch|</c>.</param>
/// <param name="MaxWeightAbsolute">The largest final <c>|w_mini - w_torch|</c> over all parameters.</param>
/// <param name="MaxWeightRelative">The largest final <c>max|w_mini - w_torch| / max|w_torch|</c> over the parameter tensors.</param>
/// <param name="Bound">The bound <see cref="MaxWeightRelative"/> must stay within.</param>
/// <param name="Compared">Which weights were compared, for the verdict line (the final ones, or the CNN's before its first decision flip).</param>
internal readonly record struct Comparison(double MaxLossRelative, double MaxWeightAbsolute, double MaxWeightRelative, double Bound, string Compared = "the final weights")
{
    public bool Agrees => MaxWeightRelative <= Bound;
}

/// <summary>
/// Trains Nielsen's <c>[784, hidden, 10]</c> network (Linear, Sigmoid, Linear; BCE-with-logits on one-hot targets) in
/// MiniNet and in TorchSharp from the same initial weights on the same mini-batches, and compares them step by step.
/// </summary>
/// <typeparam name="T">float or double; TorchSharp runs in the matching dtype.</typeparam>
internal static class SideBySide<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static Comparison Run(Options options, MnistDataset data, TextWriter output)
    {
        Tensor<T> trainX = TorchBridge.Convert<T>(data.TrainImages), testX = TorchBridge.Convert<T>(data.TestImages);
        Tensor<T> trainY = Labels.OneHot<T>(data.TrainLabels, data.Classes);
        int inputs = trainX.Shape[1];

        // MiniNet's own seeded initialisation (Nielsen's: w ~ N(0, 1/in), b ~ N(0, 1)); TorchSharp gets a copy.
        var initRng = new Rng(options.Seed);
        var mini = new Sequential<T>(
            new Linear<T>(inputs, options.Hidden, initRng, init: InitScheme.Nielsen),
            new Sigmoid<T>(),
            new Linear<T>(options.Hidden, data.Classes, initRng, init: InitScheme.Nielsen));
        IReadOnlyList<(string Name, Tensor<T> Parameter)> named = mini.NamedParameters();

        using var run = torch.NewDisposeScope();
        var torchParameters = new TorchSharp.Modules.Parameter[named.Count];
        for (int i = 0; i < named.Count; i++)
        {
            torchParameters[i] = new TorchSharp.Modules.Parameter(TorchBridge.ToTorch(named[i].Parameter));
        }

        Optimizer<T> miniOptimizer = options.Optimizer == OptimizerKind.Adam
            ? new Adam<T>(mini.Parameters(), options.LearningRate)
            : new Sgd<T>(mini.Parameters(), options.LearningRate);
        torch.optim.Optimizer torchOptimizer = options.Optimizer == OptimizerKind.Adam
            ? torch.optim.Adam(torchParameters, options.LearningRate)
            : torch.optim.SGD(torchParameters, options.LearningRate);

        output.WriteLine($"{"step",6} {"MiniNet loss",14} {"TorchSharp loss",16} {"|difference|",13} {"relative",10}");

        // One seeded shuffle per epoch from MiniNet's loader; each batch is copied bit for bit into TorchSharp.
        var loader = new DataLoader<T>(trainX, trainY, options.BatchSize, new Rng(options.Seed + 1), dropLast: true);
        double maxLossRelative = 0;
        int step = 0;
        while (step < options.Steps)
        {
            foreach (Batch<T> batch in loader)
            {
                step++;
                double miniLoss = MiniStep(mini, miniOptimizer, batch);
                double torchLoss = TorchStep(torchParameters, torchOptimizer, batch);
                double difference = Math.Abs(miniLoss - torchLoss), relative = difference / Math.Abs(torchLoss);
                maxLossRelative = Math.Max(maxLossRelative, relative);
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

        Comparison comparison = CompareWeights(named, torchParameters, maxLossRelative, options.Steps, output);
        int miniCorrect = Labels.CountCorrect(Forward(mini, testX), data.TestLabels);
        int torchCorrect = CountCorrect(TorchPredictions(torchParameters, testX), data.TestLabels);
        int n = data.TestLabels.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: MiniNet {miniCorrect}/{n} ({100.0 * miniCorrect / n:F2}%), TorchSharp {torchCorrect}/{n} ({100.0 * torchCorrect / n:F2}%)"));
        return comparison;
    }

    private static double MiniStep(Module<T> model, Optimizer<T> optimizer, Batch<T> batch)
    {
        optimizer.ZeroGrad();

        // Nielsen's cross-entropy cost: sum over the 10 outputs, mean over the n examples (Reduction.BatchMean).
        Tensor<T> loss = model.Forward(batch.Inputs).BinaryCrossEntropyWithLogits(batch.Targets, Reduction.BatchMean);
        loss.Backward();
        optimizer.Step();
        return double.CreateTruncating(loss.Item());
    }

    private static double TorchStep(TorchSharp.Modules.Parameter[] p, torch.optim.Optimizer optimizer, Batch<T> batch)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        TT x = TorchBridge.ToTorch(batch.Inputs), y = TorchBridge.ToTorch(batch.Targets);

        // The same cost in PyTorch terms: reduction 'sum' divided by the batch size. ('mean' would divide by n * 10.)
        TT loss = F.binary_cross_entropy_with_logits(TorchForward(p, x), y, reduction: torch.nn.Reduction.Sum) / batch.Size;
        loss.backward();
        optimizer.step();
        return TorchBridge.Item(loss);
    }

    private static TT TorchForward(TorchSharp.Modules.Parameter[] p, TT x) => F.linear(torch.sigmoid(F.linear(x, p[0], p[1])), p[2], p[3]);

    private static Tensor<T> Forward(Module<T> model, Tensor<T> x)
    {
        using (Autograd.NoGrad())
        {
            return model.Forward(x);
        }
    }

    private static int[] TorchPredictions(TorchSharp.Modules.Parameter[] p, Tensor<T> x)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long[] predicted = TorchForward(p, TorchBridge.ToTorch(x)).argmax(1).data<long>().ToArray();
        var result = new int[predicted.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (int)predicted[i];
        }

        return result;
    }

    private static int CountCorrect(int[] predicted, byte[] labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }

    /// <summary>Compares the final weights of both sides tensor by tensor and prints the table (also used by <see cref="CnnSideBySide{T}"/>).</summary>
    internal static Comparison CompareWeights(
        IReadOnlyList<(string Name, Tensor<T> Parameter)> named, TorchSharp.Modules.Parameter[] torchParameters, double maxLossRelative, int steps, TextWriter output)
    {
        double maxAbsolute = 0, maxRelative = 0;
        string worst = named[0].Name;
        for (int i = 0; i < named.Count; i++)
        {
            ReadOnlySpan<T> mini = named[i].Parameter.AsReadOnlySpan();
            double[] reference = TorchBridge.Values(torchParameters[i]);
            double difference = 0, scale = 0;
            for (int j = 0; j < reference.Length; j++)
            {
                difference = Math.Max(difference, Math.Abs(double.CreateTruncating(mini[j]) - reference[j]));
                scale = Math.Max(scale, Math.Abs(reference[j]));
            }

            double relative = difference / scale;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {named[i].Name,-9} {named[i].Parameter.Shape,-10} max|Δw| {difference,10:0.00E+00}  max|w| {scale,8:F4}  relative {relative,10:0.00E+00}"));
            maxAbsolute = Math.Max(maxAbsolute, difference);
            if (relative > maxRelative)
            {
                (maxRelative, worst) = (relative, named[i].Name);
            }
        }

        double bound = RoundOff.WeightBound<T>(steps);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |weight difference| {maxAbsolute:0.000E+00}; max relative (to the tensor's largest |w|) {maxRelative:0.000E+00} in {worst}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round-off bound: {steps} steps x {RoundOff.UlpsPerStep} ulps x u ({RoundOff.UnitRoundOff<T>():0.00E+00}) = {bound:0.0E+00}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max per-step relative loss difference {maxLossRelative:0.000E+00}"));
        return new Comparison(maxLossRelative, maxAbsolute, maxRelative, bound);
    }
}
