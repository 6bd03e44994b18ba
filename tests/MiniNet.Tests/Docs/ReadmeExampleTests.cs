using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Docs;

/// <summary>The README's example runs, computes the gradients its comments claim, and matches the README text.</summary>
[Collection(MiniNet.Tests.Samples.ConsoleCollection.Name)]
public class ReadmeExampleTests
{
    private const string Begin = "// README example begins", End = "// README example ends";

    [Fact]
    public void Example_GradientsMatchTheFormulasInItsComments()
    {
        var printed = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(printed);
        try
        {
            // README example begins
            var rng = new Rng(seed: 1);
            var x = Tensor.FromArray(new float[] { 0.5f, -1f, 2f, 0f, 1f, -0.5f }, 2, 3); // 2 samples, 3 features
            var y = Tensor.FromArray(new float[] { 1f, 0f }, 2, 1);                        // targets
            var w = Tensor.Randn<float>(rng, 3, 1);
            var b = Tensor.Zeros<float>(1);
            w.RequiresGrad = b.RequiresGrad = true;

            Tensor<float> z = x.MatMul(w) + b;                                             // logits [2, 1]
            Tensor<float> loss = z.BinaryCrossEntropyWithLogits(y, Reduction.BatchMean);  // fused sigmoid + BCE
            loss.Backward();                                                               // one reverse walk of the tape

            Console.WriteLine(loss);
            Console.WriteLine(w.Grad);  // (1/n) Σ x (σ(z) - y)
            Console.WriteLine(b.Grad);  // (1/n) Σ (σ(z) - y)
            // README example ends

            float[] zs = z.ToArray();
            float[] residual = { Sigma(zs[0]) - 1f, Sigma(zs[1]) - 0f };
            for (int j = 0; j < 3; j++)
            {
                float expected = ((x[0, j] * residual[0]) + (x[1, j] * residual[1])) / 2;
                w.Grad![j, 0].Should().BeApproximately(expected, 1e-6f);
            }

            b.Grad!.Item().Should().BeApproximately((residual[0] + residual[1]) / 2, 1e-6f);
            printed.ToString().Should().Contain("tensor(").And.Contain("shape=[3, 1]");
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public void Readme_ShowsExactlyThisExample()
    {
        string test = File.ReadAllText(ThisFile());
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "..", "README.md"));
        // The markers as comment lines (followed by a newline), not the constants above.
        int start = test.IndexOf(Begin + "\n", StringComparison.Ordinal) + Begin.Length;
        string example = Normalize(test[start..test.IndexOf(End + "\n", StringComparison.Ordinal)]);
        Normalize(readme).Should().Contain(example, "README.md must show the example this test runs");
    }

    private static float Sigma(float v) => 1f / (1f + MathF.Exp(-v));

    private static string Normalize(string text) =>
        string.Join('\n', text.Split('\n').Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Where(line => line.Length > 0));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
