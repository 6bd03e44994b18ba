using System;
using System.Diagnostics;
using System.IO;
using MiniNet.Data;
using MiniNet.Samples;
using MiniNet.Samples.Validation;
using TorchSharp;

Options options;
try
{
    options = Options.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

string directory = options.DataDirectory ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist");
MnistDataset data;
try
{
    data = MnistDataset.Load(directory);
}
catch (Exception e) when (e is IOException or IdxFormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: cannot load MNIST from '{directory}': {e.Message}");
    return 2;
}

if (options.BatchSize > data.TrainLabels.Length)
{
    Console.Error.WriteLine($"error: --batch {options.BatchSize} is larger than the {data.TrainLabels.Length} training examples");
    return 2;
}

var clock = Stopwatch.StartNew();

// The nets are tiny; one intra-op thread keeps TorchSharp from competing with MiniNet for the cores.
torch.set_num_threads(1);
string precision = options.Double ? "float64" : "float32";
string network = options.Model == ModelKind.Cnn
    ? "PyTorch's examples/mnist CNN (conv 1->32, conv 32->64, max-pool, shared dropout masks, linear 9216->128->10, cross-entropy)"
    : $"[{data.TrainImages.Shape[1]}, {options.Hidden}, {data.Classes}] Linear-Sigmoid-Linear";
Console.WriteLine($"MiniNet vs TorchSharp: {network}, {precision}, "
    + $"{options.Optimizer.ToString().ToLowerInvariant()} lr {options.LearningRate}, batch {options.BatchSize}, {options.Steps} steps, seed {options.Seed}");
Console.WriteLine($"data: {directory} ({data.TrainLabels.Length} train, {data.TestLabels.Length} test)");
if (options.Model == ModelKind.Cnn)
{
    Console.WriteLine("loss: MiniNet CrossEntropy(z, labels, Reduction.Mean) vs TorchSharp F.cross_entropy(z, labels) (mean over the batch)");
}
else
{
    Console.WriteLine("loss: MiniNet BinaryCrossEntropyWithLogits(z, y, Reduction.BatchMean) = sum over outputs, mean over the batch (Nielsen)");
    Console.WriteLine("      TorchSharp F.binary_cross_entropy_with_logits(z, y, reduction: Sum) / batch   (PyTorch's Mean would divide by batch * 10)");
}

Comparison result;
try
{
    result = (options.Model, options.Double) switch
    {
        (ModelKind.Cnn, true) => CnnSideBySide<double>.Run(options, data, Console.Out),
        (ModelKind.Cnn, false) => CnnSideBySide<float>.Run(options, data, Console.Out),
        (_, true) => SideBySide<double>.Run(options, data, Console.Out),
        _ => SideBySide<float>.Run(options, data, Console.Out),
    };
}
catch (FormatException e)
{
    // The data does not fit the model (e.g. --model cnn on images that are not 28x28): one line, before any training.
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
Console.WriteLine($"time: {clock.Elapsed.TotalSeconds:F1} s");
if (!result.Agrees)
{
    Console.WriteLine($"DISAGREE: {result.Compared} differ by {result.MaxWeightRelative:0.000E+00} relative, more than the {precision} round-off bound {result.Bound:0.0E+00}.");
    return 1;
}

Console.WriteLine($"AGREE: {result.Compared} match to {result.MaxWeightRelative:0.000E+00} relative, within the {precision} round-off bound {result.Bound:0.0E+00}.");
return 0;
