using System;
using System.Diagnostics;
using System.IO;
using MiniNet.Data;

namespace MiniNet.Samples.Mnist;

/// <summary>
/// The training and evaluation sets of a run: by default all training images and the official test set; with
/// <c>--validation</c> the first 50,000 training images and the last 10,000 held out (Nielsen's split); with
/// <c>--train-size N</c> only the first N training images.
/// </summary>
internal sealed record Splits(EvaluationSet Train, byte[] TrainLabelBytes, EvaluationSet Evaluation, int Features, int Classes)
{
    /// <summary>The size of the held-out validation set, as in Nielsen's <c>mnist_loader</c>.</summary>
    public const int ValidationSize = 10000;

    /// <exception cref="ArgumentException">The training set is too small for the split asked for.</exception>
    public static Splits Load(Options options)
    {
        string directory = options.DataDirectory ?? (options.Dataset == DatasetKind.Fashion
            ? Options.FashionDirectory
            : Path.Combine(AppContext.BaseDirectory, "data", "mnist"));
        var watch = Stopwatch.StartNew();
        MnistDataset data = MnistDataset.Load(directory);
        int total = data.TrainLabels.Length;
        int available = options.Validation ? total - ValidationSize : total;
        if (available <= 0)
        {
            throw new ArgumentException($"--validation holds out {ValidationSize:N0} training images, but '{directory}' has only {total:N0}");
        }

        int trainCount = Math.Min(options.TrainSize ?? available, available);
        if (options.TrainSize > available)
        {
            throw new ArgumentException($"--train-size {options.TrainSize:N0} is larger than the {available:N0} training images available{(options.Validation ? " besides the validation set" : string.Empty)}");
        }

        Tensor<float> trainImages = Network.Inputs(options, data.TrainImages);
        EvaluationSet evaluation = options.Validation
            ? EvaluationSet.Slice("validation", trainImages, data.TrainLabels, total - ValidationSize, ValidationSize, data.Classes)
            : EvaluationSet.Slice("test", Network.Inputs(options, data.TestImages), data.TestLabels, 0, data.TestLabels.Length, data.Classes);
        EvaluationSet train = EvaluationSet.Slice("training", trainImages, data.TrainLabels, 0, trainCount, data.Classes);
        Console.WriteLine(
            $"Data: {directory}: {total:N0} training and {data.TestLabels.Length:N0} test images of {data.Rows}x{data.Columns} ({watch.Elapsed.TotalSeconds:F1} s); " +
            $"training on {trainCount:N0}, evaluating on {evaluation.Labels.Length:N0} {evaluation.Name} images");
        return new Splits(train, data.TrainLabels[..trainCount], evaluation, data.Rows * data.Columns, data.Classes);
    }
}
