using System;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// The structure, indexing and reduction ops fed non-contiguous views (a transpose, a narrow, an expand) of a leaf:
/// the same values and gradients as TorchSharp on the same views, in float64 and float32.
/// </summary>
public class StructureNonContiguousInputTests
{
    public static TheoryData<string> Ops => new(
        "cat", "stack", "split", "chunk", "pad", "gather", "index_select", "min_dim", "max_all", "min_all", "mean_all", "sum_axes", "mean_axes", "var", "std", "norm2", "norm_inf", "to");

    [Theory]
    [MemberData(nameof(Ops))]
    public void Transposed_MatchesTorch(string op)
    {
        OpCheck<double>.AgainstTorch([[4, 3]], xs => Mini(op, xs[0].Transpose(0, 1)), ts => Torch(op, ts[0].transpose(0, 1)), gradCheck: op != "to");
        OpCheck<float>.AgainstTorch([[4, 3]], xs => Mini(op, xs[0].Transpose(0, 1)), ts => Torch(op, ts[0].transpose(0, 1)));
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Narrowed_MatchesTorch(string op)
    {
        OpCheck<double>.AgainstTorch([[3, 7]], xs => Mini(op, xs[0].Narrow(1, 2, 4)), ts => Torch(op, ts[0].narrow(1, 2, 4)), gradCheck: op != "to");
        OpCheck<float>.AgainstTorch([[3, 7]], xs => Mini(op, xs[0].Narrow(1, 2, 4)), ts => Torch(op, ts[0].narrow(1, 2, 4)));
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Expanded_MatchesTorch(string op)
    {
        if (op is "max_all" or "min_all" or "norm_inf")
        {
            // An expanded row ties with its copies: both libraries split the gradient, checked in ExtremumTests/NormTests.
            return;
        }

        OpCheck<double>.AgainstTorch([[1, 4]], xs => Mini(op, xs[0].Expand(3, 4)), ts => Torch(op, ts[0].expand(3, 4)), gradCheck: op != "to");
        OpCheck<float>.AgainstTorch([[1, 4]], xs => Mini(op, xs[0].Expand(3, 4)), ts => Torch(op, ts[0].expand(3, 4)));
    }

    // "to" rounds through float, whose steps are far coarser than GradCheck's 1e-6: its TorchSharp comparison is the check.
    // Each op applied to a [rows, cols] input (rows, cols >= 3).
    private static Tensor<T> Mini<T>(string op, Tensor<T> x)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => op switch
        {
            "cat" => MiniNet.Ops.Cat([x, x.Mul(T.CreateChecked(2))], 1),
            "stack" => MiniNet.Ops.Stack([x, x], 1),
            "split" => x.Split(2, 1)[1],
            "chunk" => x.Chunk(2, 0)[0],
            "pad" => x.Pad([1, -1, 0, 2], 0.5),
            "gather" => x.Gather(1, [0, 2, 1, 1, 0, 2], new Shape(3, 2)),
            "index_select" => x.IndexSelect(1, [2, 0, 2]),
            "min_dim" => x.Min(0),
            "max_all" => x.Max(),
            "min_all" => x.Min(),
            "mean_all" => x.Mean(),
            "sum_axes" => x.Sum([1, 0], keepDim: true),
            "mean_axes" => x.Mean([0]),
            "var" => x.Var(1),
            "std" => x.Std([0], correction: 0),
            "norm2" => x.Norm(2, [1]),
            "norm_inf" => x.Norm(double.PositiveInfinity),
            "to" => typeof(T) == typeof(double) ? x.To<float>().To<T>() : x.To<double>().To<T>(),
            _ => throw new ArgumentException(op),
        };

    private static TT Torch(string op, TT x) => op switch
    {
        "cat" => torch.cat(new[] { x, x * 2 }, 1),
        "stack" => torch.stack(new[] { x, x }, 1),
        "split" => x.split(2, 1)[1],
        "chunk" => x.chunk(2, 0)[0],
        "pad" => F.pad(x, [1, -1, 0, 2], value: 0.5),
        "gather" => x.gather(1, GatherTests.TorchIndex([0, 2, 1, 1, 0, 2], [3, 2])),
        "index_select" => x.index_select(1, GatherTests.TorchIndex([2, 0, 2], [3])),
        "min_dim" => x.min(0).values,
        "max_all" => x.max(),
        "min_all" => x.min(),
        "mean_all" => x.mean(),
        "sum_axes" => x.sum(new long[] { 1, 0 }, true),
        "mean_axes" => x.mean(new long[] { 0 }),
        "var" => x.var(1),
        "std" => x.std(0, false),
        "norm2" => torch.linalg.vector_norm(x, 2, new long[] { 1 }, false),
        "norm_inf" => torch.linalg.vector_norm(x, double.PositiveInfinity),
        "to" => x.dtype == torch.float64 ? x.to(torch.float32).to(torch.float64) : x.to(torch.float64).to(torch.float32),
        _ => throw new ArgumentException(op),
    };
}
