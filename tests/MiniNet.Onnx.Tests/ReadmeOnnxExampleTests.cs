using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using MiniNet.Data;
using MiniNet.IO;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Onnx.Tests;

/// <summary>The README's ONNX examples (MLP and CNN) run as written and their claim (MiniNet's Forward to 1e-5) holds.</summary>
public class ReadmeOnnxExampleTests
{

    [Fact]
    public void ReadmeOnnxExample_Runs_AndOrtMatchesForward()
    {
        string original = Environment.CurrentDirectory;
        string directory = Directory.CreateTempSubdirectory("mininet-readme-onnx-").FullName;
        try
        {
            // The example's files are relative paths; no other test in this assembly uses the working directory.
            Environment.CurrentDirectory = directory;
            MnistDataset data = MnistDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "mnist"));
            new Sequential(new Linear(784, 100, new Rng(9)), new Sigmoid(), new Linear(100, 10, new Rng(10))).Save("mnist.safetensors");
            var rng = new Rng(1);

            // README ONNX example begins
            var network = new Sequential(new Linear(784, 100, rng), new Sigmoid(), new Linear(100, 10, rng));
            network.Load("mnist.safetensors");
            Onnx.Export(network, data.TestImages.Rows(0, 1), "mnist.onnx");       // [batch, 784] -> [batch, 10] logits

            using var session = new InferenceSession("mnist.onnx");
            using var input = OrtValue.CreateTensorValueFromMemory(data.TestImages.Rows(0, 64).ToArray(), new long[] { 64, 784 });
            using var outputs = session.Run(new RunOptions(), new[] { "input" }, new[] { input }, new[] { "output" });
            ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>(); // 64 x 10, MiniNet's Forward to 1e-5
            // README ONNX example ends

            OutputAssert.Close(logits, OnnxExportTests.Forward(network, data.TestImages.Rows(0, 64)), Tolerances.Float, "README example");
        }
        finally
        {
            Environment.CurrentDirectory = original;
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ReadmeOnnxCnnExample_Runs_AndOrtMatchesForward()
    {
        string original = Environment.CurrentDirectory;
        string directory = Directory.CreateTempSubdirectory("mininet-readme-onnx-cnn-").FullName;
        try
        {
            Environment.CurrentDirectory = directory;
            MnistDataset data = MnistDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "mnist"));
            MnistCnnOnnxTests.MnistCnn(new Rng(9)).Save("mnist-cnn.safetensors");
            var rng = new Rng(1);

            // README ONNX CNN example begins
            var cnn = new Sequential(
                new Conv2d(1, 32, 3, rng), new Relu(), new Conv2d(32, 64, 3, rng), new Relu(), new MaxPool2d(2), new Dropout(0.25, rng),
                new Flatten(), new Linear(9216, 128, rng), new Relu(), new Dropout(0.5, rng), new Linear(128, 10, rng), new LogSoftmax());
            cnn.Load("mnist-cnn.safetensors");                                 // PyTorch examples/mnist's Net, same state-dict names
            Tensor<float> images = data.TestImages.Rows(0, 64).Reshape(64, 1, 28, 28).Add(-0.1307f).Div(0.3081f); // as the sample normalises
            Onnx.Export(cnn, images, "mnist-cnn.onnx");                        // [batch, 1, 28, 28] -> [batch, 10]; dropout is dropped

            using var cnnSession = new InferenceSession("mnist-cnn.onnx");
            using var pixels = OrtValue.CreateTensorValueFromMemory(images.ToArray(), new long[] { 64, 1, 28, 28 });
            using var results = cnnSession.Run(new RunOptions(), new[] { "input" }, new[] { pixels }, new[] { "output" });
            ReadOnlySpan<float> logProbabilities = results[0].GetTensorDataAsSpan<float>();
            // README ONNX CNN example ends

            OutputAssert.Close(logProbabilities, OnnxExportTests.Forward(cnn, images), Tolerances.Float, "README CNN example");
        }
        finally
        {
            Environment.CurrentDirectory = original;
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("// README ONNX example")]
    [InlineData("// README ONNX CNN example")]
    public void Readme_ShowsExactlyTheseExamples(string marker)
    {
        string begin = marker + " begins", end = marker + " ends";
        string test = File.ReadAllText(ThisFile());
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "README.md"));
        int start = test.IndexOf(begin + "\n", StringComparison.Ordinal) + begin.Length;
        string example = Normalize(test[start..test.IndexOf(end + "\n", StringComparison.Ordinal)]);
        example.Should().NotBeEmpty();
        Normalize(readme).Should().Contain(example, "README.md must show the example this test runs");
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.Split('\n').Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Where(line => line.Length > 0));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
