using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Tensors;

/// <summary>
/// Ops read their inputs and write their outputs through kernel spans (Tensor.KernelReadSpan), forward and backward,
/// so a large tensor nobody disposes stays tracked by StoragePool and its array is reused once it is garbage, instead
/// of every step allocating fresh large arrays that only a gen-2 collection frees (issue 14).
/// </summary>
[Collection(MiniNet.Tests.Reliability.ProcessMemoryCollection.Name)] // its pool and allocation checks are process-wide
public class StorageExposureTests
{
    // x is [4, 8, 96, 101 + k] for the k-th op: over 307,200 floats (a pooled size), and a length of its own, so
    // that no other test's live tensors can fill that size's bucket (then the pool hands out untracked arrays).
    private const int Planes = 32, Height = 96, Width = 100;

    private static readonly string[] OpNames =
    [
        "Add", "Mul", "Rsub", "Rdiv", "Clamp", "Pow2", "Pow3", "Softmax", "LogSoftmax", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt",
        "Relu", "LeakyRelu", "Softplus", "Silu", "Gelu", "GeluTanh", "Abs", "Erf", "Log1p", "Expm1", "LayerNorm", "AvgPool2d",
        "AdaptiveAvgPool2d", "MaxPool2d", "Linear", "Conv2d", "MulTensor", "DivTensor", "Maximum", "MaskedFill", "Where", "Sum",
        "SumAxis", "Mean", "MaxAxis", "MseLossNone", "BceWithLogitsNone", "Cat", "Pad", "Contiguous", "BatchedMatMul", "BatchNorm", "IndexSelect", "Embedding",
    ];

    public static TheoryData<string> Ops => new(OpNames);

    [Theory]
    [MemberData(nameof(Ops))]
    public void RecordedOp_AndItsBackward_LeaveInputAndOutputTracked(string op)
    {
        // Positive inputs keep Log, Sqrt and Rdiv finite.
        Tensor<float> x = Tensor.Full(0.75f, 4, 8, Height, Width + 1 + Array.IndexOf(OpNames, op));
        x.RequiresGrad = true;
        Tensor<float> y = Apply(op, x);
        y.Backward(Tensor.Ones<float>(y.Shape.ToArray()));
        x.IsStorageTracked.Should().BeTrue($"{op} reads x through kernel spans, forward and backward");
        if (y.Count >= Planes * Height * Width / 4)
        {
            y.IsStorageTracked.Should().BeTrue($"{op} writes its output, and its backward reads it, through kernel spans");
        }

        x.Grad!.ToArray().Should().OnlyContain(v => float.IsFinite(v), $"{op}'s gradient");
    }

    [Fact]
    public void ClippingAndAnOptimizerStep_LeaveTheGradientTracked()
    {
        Tensor<float> w = Tensor.Full(0.5f, (Planes * Height * Width) + 2);
        w.RequiresGrad = true;
        var sgd = new Sgd<float>([w], learningRate: 0.1);
        w.Mul(w).Sum().Backward();
        w.Grad!.IsStorageTracked.Should().BeTrue("after backward");
        GradientClipping.ClipGradNorm([w], maxNorm: 1e9);
        w.Grad!.IsStorageTracked.Should().BeTrue("after clipping");
        sgd.Step();
        w.Grad!.IsStorageTracked.Should().BeTrue("the optimizer and the clipping read the gradient through kernel spans");
        w[0].Should().BeApproximately(0.5f - (0.1f * 2 * 0.5f), 1e-6f, "the step still applied");
    }

    [Fact]
    public void CapturedStepReplay_LeavesTheCallersBatchTracked()
    {
        // [300, 103] floats: a pooled length of its own. Replay copies the batch in through a kernel span, so a batch
        // from a DataLoader can go back to the pool once dropped (a public span dropped it from the pool for good).
        const int rows = 300, features = 103;
        Tensor<float> x = Tensor.Full(0.5f, rows, features), y = Tensor.Full(1f, rows, 1), w = Tensor.Full(0.1f, 1, features);
        w.RequiresGrad = true;
        CapturedStep<float> step = MiniNet.Autograd.CaptureStep(() =>
        {
            w.ReleaseGrad();
            Tensor<float> loss = x.Linear(w).MseLoss(y);
            loss.Backward();
            return loss;
        });
        Tensor<float> nextX = Tensor.Full(0.25f, rows, features), nextY = Tensor.Full(2f, rows, 1);
        step.Replay(nextX, nextY);
        nextX.IsStorageTracked.Should().BeTrue("Replay reads the new batch through a kernel span");
        float expected = MathF.Pow((0.25f * 0.1f * features) - 2f, 2);
        step.Output.ToArray()[0].Should().BeApproximately(expected, 1e-4f, "the replay ran on the new batch");
    }

    [Fact]
    public void Factories_AndDetach_GiveTrackedTensors()
    {
        // They fill a fresh tensor through kernel spans: data made each step (noise, seeds, masks, copies) reuses arrays.
        const int n = (Planes * Height * Width) + 1; // lengths no other test uses (see OpNames)
        Tensor<float> full = Tensor.Full(2f, n);
        Tensor<float>[] made = [full, Tensor.Ones<float>(n), Tensor.Randn<float>(new Rng(4), n), full.Detach()];
        made.Select(t => t.IsStorageTracked).Should().OnlyContain(tracked => tracked);
        full.IsStorageTracked.Should().BeTrue("Detach reads its source without exposing it");
        made[3].ToArray().Should().OnlyContain(v => v == 2f, "the copy holds the values");
    }

    private static Tensor<float> Apply(string op, Tensor<float> x)
    {
        int w = x.Shape[-1];
        return op switch
        {
            "Add" => x.Add(1f), "Mul" => x.Mul(2f), "Rsub" => x.Rsub(1f), "Rdiv" => x.Rdiv(1f), "Clamp" => x.Clamp(0.5f, 1f),
            "Pow2" => x.Pow(2f), "Pow3" => x.Pow(3f), "Softmax" => x.Softmax(-1), "LogSoftmax" => x.LogSoftmax(-1),
            "Sigmoid" => x.Sigmoid(), "Tanh" => x.Tanh(), "Exp" => x.Exp(), "Log" => x.Log(), "Sqrt" => x.Sqrt(), "Relu" => x.Relu(),
            "LeakyRelu" => x.LeakyRelu(), "Softplus" => x.Softplus(), "Silu" => x.Silu(), "Gelu" => x.Gelu(),
            "GeluTanh" => x.Gelu(GeluApproximation.Tanh), "Abs" => x.Abs(), "Erf" => x.Erf(), "Log1p" => x.Log1p(), "Expm1" => x.Expm1(),
            "LayerNorm" => x.LayerNorm(new Shape(w)), "AvgPool2d" => x.AvgPool2d(2), "AdaptiveAvgPool2d" => x.AdaptiveAvgPool2d(48, 50),
            "MaxPool2d" => x.MaxPool2d(2), "Linear" => x.Reshape(-1, w).Linear(Tensor.Full(0.01f, w, w)),
            "Conv2d" => x.Conv2d(Tensor.Full(0.01f, 8, 8, 3, 3), padding: 1),
            "MulTensor" => x.Mul(Other(x)), "DivTensor" => x.Div(Other(x)), "Maximum" => x.Maximum(Other(x)),
            "MaskedFill" => x.MaskedFill(Other(x).Gt(1f), 0f), "Where" => MiniNet.Ops.Where(Other(x).Gt(1f), x, Other(x)),
            "Sum" => x.Sum(), "SumAxis" => x.Sum(1), "Mean" => x.Mean(), "MaxAxis" => x.Max(3),
            "MseLossNone" => x.MseLoss(Other(x), Reduction.None), "BceWithLogitsNone" => x.BinaryCrossEntropyWithLogits(Other(x).Mul(0.5f), Reduction.None),
            "Cat" => MiniNet.Ops.Cat([x, Other(x)], 1), "Pad" => x.Pad([1, 1]), "Contiguous" => x.Transpose(2, 3).Contiguous(),
            "BatchedMatMul" => x.MatMul(Tensor.Full(0.01f, 4, 8, w, w)),
            "IndexSelect" => x.IndexSelect(3, Enumerable.Range(0, w).Reverse().ToArray()),
            "Embedding" => x.Reshape(-1, w).Embedding(Enumerable.Range(0, 3072).Reverse().ToArray(), new Shape(3072)),
            "BatchNorm" => x.BatchNorm(null, null, Tensor.Ones<float>(8), Tensor.Zeros<float>(8), training: true),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
        };
    }

    // A second pooled operand of x's shape, also tracked, with values 1.5.
    private static Tensor<float> Other(Tensor<float> x) => Tensor.Full(1.5f, x.Shape.ToArray());
}
