using System;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// Existing ops fed non-contiguous inputs (a transposed view, a strided slice, an expanded view) against TorchSharp in
/// float64 (with GradCheck) and float32: the gradient reaches the leaf behind the view.
/// </summary>
public class NonContiguousInputTests
{
    private static readonly int[] Labels = [2, 0, 4, 1];
    private static readonly int[] EmbeddingIndices = [4, 0, 2, 2, 1, 4];

    public static TheoryData<string, InputLayout> Cases
    {
        get
        {
            var data = new TheoryData<string, InputLayout>();
            foreach (string op in new[] { "Add", "Sub", "Mul", "Div", "Exp", "Log", "Tanh", "Sigmoid", "Relu", "MatMul", "Linear", "Sum", "SumAxis", "Mean", "Max", "Softmax", "LogSoftmax", "CrossEntropy", "Conv2d", "MaxPool2d", "BatchedMatMul", "Cat", "Stack", "LayerNorm", "Silu", "Clamp", "Pad", "Var", "Norm", "Neg", "Sqrt", "Abs", "PowScalar", "ClampMin", "MseLoss", "Bce", "BceWithLogits", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm", "Embedding" })
            {
                foreach (InputLayout layout in new[] { InputLayout.Transposed, InputLayout.Sliced, InputLayout.Expanded })
                {
                    data.Add(op, layout);
                }
            }

            return data;
        }
    }

    private static int[][] Shapes(string op) => op switch
    {
        "MatMul" => [[4, 3], [3, 5]],
        "Linear" => [[4, 3], [5, 3], [5]],
        "Add" or "Sub" or "Mul" or "Div" or "MseLoss" or "Bce" or "BceWithLogits" => [[4, 5], [4, 5]],
        "AvgPool2d" or "AdaptiveAvgPool2d" => [[2, 3, 4, 6]],
        "BatchNorm" => [[4, 3, 5], [3], [3]],
        "Embedding" => [[5, 4]],
        "CrossEntropy" => [[4, 5]],
        "Conv2d" => [[2, 3, 5, 4], [4, 3, 2, 2], [4]],
        "MaxPool2d" => [[2, 3, 4, 6]],
        "BatchedMatMul" => [[2, 4, 3], [2, 3, 5]],
        "Cat" or "Stack" => [[3, 4], [3, 4]],
        _ => [[3, 4, 5]],
    };

    private static Tensor<T> Mini<T>(string op, Tensor<T>[] x)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => op switch
        {
            "Add" => x[0].Add(x[1]),
            "Sub" => x[0].Sub(x[1]),
            "Mul" => x[0].Mul(x[1]),
            "Div" => x[0].Div(x[1].Abs().Add(T.One)),
            "Exp" => x[0].Exp(),
            "Log" => x[0].Abs().Add(T.One).Log(),
            "Tanh" => x[0].Tanh(),
            "Sigmoid" => x[0].Sigmoid(),
            "Relu" => x[0].Relu(),
            "MatMul" => x[0].MatMul(x[1]),
            "Linear" => x[0].Linear(x[1], x[2]),
            "Sum" => x[0].Sum(),
            "SumAxis" => x[0].Sum(1),
            "Mean" => x[0].Mean(),
            "Max" => x[0].Max(2),
            "Softmax" => x[0].Softmax(1),
            "LogSoftmax" => x[0].LogSoftmax(-1),
            "CrossEntropy" => x[0].CrossEntropy(Labels),
            "Conv2d" => x[0].Conv2d(x[1], x[2], 1, 1, 1, 1),
            "MaxPool2d" => x[0].MaxPool2d(2),
            "BatchedMatMul" => x[0].MatMul(x[1]),
            "Cat" => MiniNet.Ops.Cat([x[0], x[1]], 1),
            "Stack" => MiniNet.Ops.Stack([x[0], x[1]], 1),
            "LayerNorm" => x[0].LayerNorm(new Shape(5)),
            "Silu" => x[0].Silu(),
            "Clamp" => x[0].Clamp(T.CreateChecked(-0.5), T.CreateChecked(0.7)),
            "Pad" => x[0].Pad([1, 2]),
            "Var" => x[0].Var(1),
            "Norm" => x[0].Norm(),
            "Neg" => x[0].Neg(),
            "Sqrt" => x[0].Abs().Add(T.One).Sqrt(),
            "Abs" => x[0].Abs(),
            "PowScalar" => x[0].Abs().Add(T.One).Pow(T.CreateChecked(2.5)),
            "ClampMin" => x[0].ClampMin(T.CreateChecked(-0.25)),
            "MseLoss" => x[0].MseLoss(x[1]),
            "Bce" => x[0].Sigmoid().BinaryCrossEntropy(x[1].Sigmoid()),
            "BceWithLogits" => x[0].BinaryCrossEntropyWithLogits(x[1].Sigmoid()),
            "AvgPool2d" => x[0].AvgPool2d(2, 1, 1),
            "AdaptiveAvgPool2d" => x[0].AdaptiveAvgPool2d(3, 4),
            "BatchNorm" => x[0].BatchNorm(null, null, x[1], x[2], training: true),
            "Embedding" => x[0].Embedding(EmbeddingIndices, new Shape(2, 3)),
            _ => throw new ArgumentException(op),
        };

    private static TT Torch(string op, TT[] x) => op switch
    {
        "Add" => x[0] + x[1],
        "Sub" => x[0] - x[1],
        "Mul" => x[0] * x[1],
        "Div" => x[0] / (x[1].abs() + 1),
        "Exp" => x[0].exp(),
        "Log" => (x[0].abs() + 1).log(),
        "Tanh" => x[0].tanh(),
        "Sigmoid" => x[0].sigmoid(),
        "Relu" => x[0].relu(),
        "MatMul" => x[0].matmul(x[1]),
        "Linear" => F.linear(x[0], x[1], x[2]),
        "Sum" => x[0].sum(),
        "SumAxis" => x[0].sum(1),
        "Mean" => x[0].mean(),
        "Max" => x[0].max(2).values,
        "Softmax" => F.softmax(x[0], 1),
        "LogSoftmax" => F.log_softmax(x[0], -1),
        "CrossEntropy" => F.cross_entropy(x[0], torch.tensor(Array.ConvertAll(Labels, l => (long)l))),
        "Conv2d" => F.conv2d(x[0], x[1], x[2], strides: [1, 1], padding: [1, 1]),
        "MaxPool2d" => F.max_pool2d(x[0], [2, 2]),
        "BatchedMatMul" => x[0].matmul(x[1]),
        "Cat" => torch.cat([x[0], x[1]], 1),
        "Stack" => torch.stack([x[0], x[1]], 1),
        "LayerNorm" => F.layer_norm(x[0], [5]),
        "Silu" => F.silu(x[0]),
        "Clamp" => x[0].clamp(-0.5, 0.7),
        "Pad" => F.pad(x[0], [1, 2]),
        "Var" => x[0].var(1),
        "Norm" => x[0].norm(),
        "Neg" => x[0].neg(),
        "Sqrt" => (x[0].abs() + 1).sqrt(),
        "Abs" => x[0].abs(),
        "PowScalar" => (x[0].abs() + 1).pow(2.5),
        "ClampMin" => x[0].clamp_min(-0.25),
        "MseLoss" => F.mse_loss(x[0], x[1]),
        "Bce" => F.binary_cross_entropy(x[0].sigmoid(), x[1].sigmoid()),
        "BceWithLogits" => F.binary_cross_entropy_with_logits(x[0], x[1].sigmoid()),
        "AvgPool2d" => F.avg_pool2d(x[0], [2, 2], [1, 1], [1, 1]),
        "AdaptiveAvgPool2d" => F.adaptive_avg_pool2d(x[0], [3, 4]),
        "BatchNorm" => F.batch_norm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5),
        "Embedding" => x[0].index_select(0, torch.tensor(Array.ConvertAll(EmbeddingIndices, i => (long)i))).reshape(2, 3, 4), // F.embedding
        _ => throw new ArgumentException(op),
    };

    // Expanded inputs repeat values, so Max and MaxPool2d would see ties, where the subgradient is a convention; their
    // expanded case takes values that differ along the expanded dimension by adding an iota after the expand.
    private static bool TiesUnderExpand(string op) => op is "Max" or "MaxPool2d";

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Double(string op, InputLayout layout)
    {
        if (layout == InputLayout.Expanded && TiesUnderExpand(op))
        {
            OpCheck<double>.AgainstTorch(Shapes(op), xs => Mini(op, [xs[0].Add(Iota<double>(xs[0].Shape))]), ts => Torch(op, [ts[0] + TorchIota(ts[0])]), layout: layout);
            return;
        }

        OpCheck<double>.AgainstTorch(Shapes(op), xs => Mini(op, xs), ts => Torch(op, ts), layout: layout, gradInputs: GradInputs(op));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Float(string op, InputLayout layout)
    {
        // The same documented constants the ops' own float tests use (cancellation in softmax gradients, long sums in conv).
        double tolerance = op switch
        {
            "Softmax" or "LogSoftmax" or "CrossEntropy" or "Var" => Tolerances.TorchFloatCancellation,
            "LayerNorm" or "BatchNorm" => Tolerances.TorchFloatNormalization,
            "Conv2d" => Tolerances.TorchFloatLongSums,
            _ => Tolerances.TorchFloat,
        };
        if (layout == InputLayout.Expanded && TiesUnderExpand(op))
        {
            OpCheck<float>.AgainstTorch(Shapes(op), xs => Mini(op, [xs[0].Add(Iota<float>(xs[0].Shape))]), ts => Torch(op, [ts[0] + TorchIota(ts[0])]), layout: layout, tolerance: tolerance);
            return;
        }

        OpCheck<float>.AgainstTorch(Shapes(op), xs => Mini(op, xs), ts => Torch(op, ts), layout: layout, tolerance: tolerance, gradInputs: GradInputs(op));
    }

    // PyTorch does not differentiate binary_cross_entropy with respect to its target.
    private static bool[]? GradInputs(string op) => op == "Bce" ? [true, false] : null;

    /// <summary>0, 0.5, 1, ... in row-major order: a constant that breaks the ties of an expanded input.</summary>
    private static Tensor<T> Iota<T>(Shape shape)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        Tensor.Arange(T.Zero, T.CreateChecked(shape.ElementCount * 0.5), T.CreateChecked(0.5)).Reshape(shape.ToArray());

    private static TT TorchIota(TT like) => torch.arange(0, like.numel() * 0.5, 0.5, dtype: like.dtype).reshape(like.shape);
}
