using System;
using System.IO;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using MiniNet.Data;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Onnx.Tests;

public class MnistCnnOnnxTests
{
    /// <summary>
    /// PyTorch's examples/mnist <c>Net</c> as a <see cref="Sequential"/>: conv 1→32 3x3, ReLU, conv 32→64 3x3, ReLU,
    /// max-pool 2, dropout 0.25, flatten, linear 9216→128, ReLU, dropout 0.5, linear 128→10, log-softmax.
    /// </summary>
    internal static Sequential MnistCnn(Rng rng) => new(
        new Conv2d(1, 32, 3, rng), new Relu(), new Conv2d(32, 64, 3, rng), new Relu(), new MaxPool2d(2), new Dropout(0.25, rng),
        new Flatten(), new Linear(9216, 128, rng), new Relu(), new Dropout(0.5, rng), new Linear(128, 10, rng), new LogSoftmax());

    [Fact]
    public void TrainedMnistCnn_OrtReproducesLogProbabilitiesAndPredictions()
    {
        MnistDataset data = MnistDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "mnist"));
        var rng = new Rng(1);
        Sequential model = MnistCnn(rng);

        // A few Adadelta steps on real digits (as the example trains), so the weights are not just their initial values.
        const int Steps = 15, BatchSize = 32, TestCount = 200;
        var optimizer = new Adadelta(model.Parameters(), learningRate: 1.0);
        int step = 0;
        foreach (Batch<float> batch in new DataLoader<float>(data.TrainImages.Rows(0, Steps * BatchSize), data.TrainLabels.AsSpan(0, Steps * BatchSize), data.Classes, batchSize: BatchSize, shuffle: rng))
        {
            optimizer.ZeroGrad();
            model.Forward(batch.Inputs.Reshape(batch.Labels.Length, 1, 28, 28)).CrossEntropy(batch.Labels).Backward();
            optimizer.Step();
            step++;
        }

        step.Should().Be(Steps);
        Tensor<float> images = data.TestImages.Rows(0, TestCount).Reshape(TestCount, 1, 28, 28);
        using var session = new InferenceSession(Onnx.ExportToBytes(model, images));
        session.InputMetadata[Onnx.InputName].Dimensions.Should().Equal(-1, 1, 28, 28);
        session.InputMetadata[Onnx.InputName].SymbolicDimensions[0].Should().Be("batch");
        var (logProbabilities, shape) = OrtRunner.Run(session, images);
        float[] expected = OnnxExportTests.Forward(model, images);

        shape.Should().Equal(TestCount, 10);
        OutputAssert.Close<float>(logProbabilities, expected, Tolerances.Float, "MNIST CNN log-probabilities");
        Labels.ArgMax(Tensor.FromArray(logProbabilities, TestCount, 10)).Should().Equal(Labels.ArgMax(Tensor.FromArray(expected, TestCount, 10)));
    }
}
