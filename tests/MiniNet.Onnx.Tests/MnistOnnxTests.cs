using System;
using System.IO;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using MiniNet.Data;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Onnx.Tests;

public class MnistOnnxTests
{
    [Fact]
    public void TrainedMnistMlp_OrtReproducesLogitsAndPredictions_OnTheTestSet()
    {
        MnistDataset data = MnistDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "mnist"));
        var rng = new Rng(1);

        // The MNIST sample's network: Nielsen's [784, 100, 10], sigmoid hidden layer, one epoch of SGD on BCE over
        // the first 10,000 training digits (enough for ~90 %, and fast).
        const int TrainCount = 10_000;
        var model = new Sequential(
            new Linear(784, 100, rng, init: InitScheme.Nielsen), new Sigmoid(), new Linear(100, 10, rng, init: InitScheme.Nielsen));
        var sgd = new Sgd(model.Parameters(), learningRate: 0.5);
        foreach (Batch<float> batch in new DataLoader<float>(data.TrainImages.Rows(0, TrainCount), data.TrainLabels.AsSpan(0, TrainCount), data.Classes, batchSize: 10, shuffle: rng))
        {
            sgd.ZeroGrad();
            model.Forward(batch.Inputs).BinaryCrossEntropyWithLogits(batch.Targets, Reduction.BatchMean).Backward();
            sgd.Step();
        }

        using var session = new InferenceSession(Onnx.ExportToBytes(model, data.TestImages.Rows(0, 1)));
        var (logits, shape) = OrtRunner.Run(session, data.TestImages);
        float[] expected = OnnxExportTests.Forward(model, data.TestImages);

        shape.Should().Equal(data.TestLabels.Length, 10);
        OutputAssert.Close<float>(logits, expected, Tolerances.Float, "MNIST test-set logits");
        int[] ortPredictions = Labels.ArgMax(Tensor.FromArray(logits, data.TestLabels.Length, 10));
        ortPredictions.Should().Equal(Labels.ArgMax(Tensor.FromArray(expected, data.TestLabels.Length, 10)));
        int correct = 0;
        for (int i = 0; i < ortPredictions.Length; i++)
        {
            correct += ortPredictions[i] == data.TestLabels[i] ? 1 : 0;
        }

        ((double)correct / ortPredictions.Length).Should().BeGreaterThan(0.85, "one epoch on 10,000 digits reaches about 90 % on the test digits");
    }
}
