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

/// <summary>The README's ONNX example runs as written and its claim (MiniNet's Forward to 1e-5) holds.</summary>
public class ReadmeOnnxExampleTests
{
    private const string Begin = "// README ONNX example begins", End = "// README ONNX example ends";

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
    public void Readme_ShowsExactlyThisExample()
    {
        string test = File.ReadAllText(ThisFile());
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "README.md"));
        int start = test.IndexOf(Begin + "\n", StringComparison.Ordinal) + Begin.Length;
        string example = Normalize(test[start..test.IndexOf(End + "\n", StringComparison.Ordinal)]);
        Normalize(readme).Should().Contain(example, "README.md must show the example this test runs");
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.Split('\n').Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Where(line => line.Length > 0));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
