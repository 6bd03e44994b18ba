using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// Issue 11's done-when, written as a newcomer would port PyTorch code: a small two-head causal self-attention
/// classifier that slices a batch with ranges, concatenates features, permutes axes, runs 4-D and broadcast batched
/// matmuls, masks with MaskedFill before Softmax, pools with an index and a mean, and ends in a cross-entropy loss.
/// The same code in TorchSharp must give the same loss and every parameter gradient at float64 1e-10.
/// </summary>
public class PyTorchShapedModelTests
{
    private const int Samples = 7, Steps = 5, Features = 3, Positional = 2, Model = 4, Heads = 2, Classes = 3;
    private static readonly int[] AllLabels = [2, 0, 1, 1, 2, 0, 1];

    [Fact]
    public void EveryParameterGradient_MatchesTheSameTorchSharpCode_Float64()
    {
        var rng = new Rng(2026);
        Tensor<double> data = Tensor.Randn<double>(rng, Samples, Steps, Features);
        Tensor<double>[] parameters = ParameterShapes.Select(s => Tensor.Randn<double>(rng, s).Mul(0.5)).ToArray();
        foreach (Tensor<double> p in parameters)
        {
            p.RequiresGrad = true;
        }

        Tensor<double> loss = Forward(data, parameters);
        loss.Backward();

        using var scope = torch.NewDisposeScope();
        TT[] torchParameters = parameters.Select(p => TorchOracle.ToTorch(p.Detach(), requiresGrad: true)).ToArray();
        TT torchLoss = TorchForward(TorchOracle.ToTorch(data), torchParameters);
        torchLoss.backward();

        TorchOracle.AssertClose([loss.Item()], TorchOracle.Values(torchLoss), Tolerances.TorchDouble, "loss");
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Grad.Should().NotBeNull($"parameter {i} ({ParameterNames[i]}) takes part in the loss");
            TorchOracle.AssertClose(parameters[i].Grad!.ToArray(), TorchOracle.Values(torchParameters[i].grad!), Tolerances.TorchDouble, $"gradient of {ParameterNames[i]}");
        }
    }

    [Fact]
    public void EveryParameterGradient_MatchesFiniteDifferences()
    {
        var rng = new Rng(7);
        Tensor<double> data = Tensor.Randn<double>(rng, Samples, Steps, Features);
        Tensor<double>[] parameters = ParameterShapes.Select(s => Tensor.Randn<double>(rng, s).Mul(0.5)).ToArray();
        foreach (Tensor<double> p in parameters)
        {
            p.RequiresGrad = true;
        }

        GradCheckResult check = GradCheck.Run(ps => Forward(data, ps), parameters);
        check.Passed(Tolerances.GradCheck).Should().BeTrue(check.ToString());
    }

    [Fact]
    public void Float32_AndSecondOrder_MatchTorchSharp()
    {
        // The data (input 0) is not differentiated; the four parameters are. Float: softmax and cross-entropy gradients
        // cancel, the case TorchFloatCancellation documents
        // (measured at 1e-5: an element of wQkv's gradient of -2.4e-3, 1.07e-5 of itself apart). Second order: Autograd.Grad(createGraph) through the whole
        // model vs torch.autograd.grad(create_graph=True), then GradGrad.
        int[][] shapes = [[Samples, Steps, Features], .. ParameterShapes];
        bool[] grads = [false, true, true, true, true];
        static double Half(double v) => 0.5 * v;
        OpCheck<float>.AgainstTorch(shapes, xs => Forward(xs[0], xs[1..]), ts => TorchForward(ts[0], ts[1..]), sample: Half, gradInputs: grads, tolerance: Tolerances.TorchFloatCancellation);
        SecondOrderCheck.AgainstTorch(shapes, xs => Forward(xs[0], xs[1..]), ts => TorchForward(ts[0], ts[1..]), sample: Half, gradInputs: grads);
    }

    private static readonly string[] ParameterNames = ["positional", "wQkv", "wOut", "bOut"];

    private static int[][] ParameterShapes => [[Steps, Positional], [Features + Positional, 3 * Model], [Classes, 2 * Model], [Classes]];

    /// <summary>The model in MiniNet, line for line the PyTorch code in <see cref="TorchForward"/>.</summary>
    private static Tensor<T> Forward<T>(Tensor<T> data, Tensor<T>[] p)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> positional = p[0], wQkv = p[1], wOut = p[2], bOut = p[3];
        Tensor<T> x = data[1..^1];                                                      // a batch: samples 1-5
        int b = x.Shape[0], headSize = Model / Heads;
        Tensor<T> h = MiniNet.Ops.Cat([x, positional.Unsqueeze(0).Expand(b, -1, -1)], -1); // [b, T, F + P]
        Tensor<T> qkv = h.MatMul(wQkv);                                                 // [b, T, 3D]: 3-D x 2-D
        Tensor<T>[] parts = qkv.Chunk(3, -1);
        Tensor<T> q = parts[0].View(b, Steps, Heads, headSize).Permute(0, 2, 1, 3);      // [b, H, T, d]
        Tensor<T> k = parts[1].View(b, Steps, Heads, headSize).Permute(0, 2, 1, 3);
        Tensor<T> v = parts[2].View(b, Steps, Heads, headSize).Permute(0, 2, 1, 3);
        Tensor<T> scores = q.MatMul(k.Transpose(-2, -1)) / Math.Sqrt(headSize);        // [b, H, T, T]: 4-D
        Tensor<T> positions = Tensor.Arange(T.Zero, T.CreateChecked(Steps), T.One);
        Tensor<T> future = positions.Unsqueeze(1).Lt(positions);                        // j > i
        Tensor<T> attention = scores.MaskedFill(future, double.NegativeInfinity).Softmax(-1);
        Tensor<T> mixed = attention.MatMul(v).Permute(0, 2, 1, 3).Reshape(b, Steps, Model).Gelu(); // [b, T, D]
        Tensor<T> pooled = MiniNet.Ops.Cat([mixed.Mean(1), mixed[.., ^1]], -1);        // [b, 2D]
        Tensor<T> logits = pooled.Linear(wOut, bOut);
        return logits.CrossEntropy(AllLabels.AsSpan(1, b));
    }

    private static TT TorchForward(TT data, TT[] p)
    {
        TT positional = p[0], wQkv = p[1], wOut = p[2], bOut = p[3];
        TT x = data.narrow(0, 1, Samples - 2);                                         // x[1:-1]
        long b = x.shape[0];
        const int headSize = Model / Heads;
        TT h = torch.cat(new[] { x, positional.unsqueeze(0).expand(b, -1, -1) }, -1);
        TT qkv = h.matmul(wQkv);
        TT[] parts = qkv.chunk(3, -1);
        TT q = parts[0].view(b, Steps, Heads, headSize).permute(0, 2, 1, 3);
        TT k = parts[1].view(b, Steps, Heads, headSize).permute(0, 2, 1, 3);
        TT v = parts[2].view(b, Steps, Heads, headSize).permute(0, 2, 1, 3);
        TT scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(headSize);
        TT future = torch.arange(Steps).unsqueeze(1) < torch.arange(Steps);
        TT attention = F.softmax(scores.masked_fill(future, double.NegativeInfinity), -1);
        TT mixed = F.gelu(attention.matmul(v).permute(0, 2, 1, 3).reshape(b, Steps, Model));
        TT pooled = torch.cat(new[] { mixed.mean(new long[] { 1 }), mixed.select(1, -1) }, -1); // mixed[:, -1]
        TT logits = F.linear(pooled, wOut, bOut);
        return F.cross_entropy(logits, torch.tensor(AllLabels[1..^1].Select(l => (long)l).ToArray()));
    }
}
