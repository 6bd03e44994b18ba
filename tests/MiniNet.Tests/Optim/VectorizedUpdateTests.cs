using System;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Optim;

/// <summary>
/// The adaptive optimizers update in SIMD lanes with a scalar tail. 1003 elements are 125 x 8 + 3 floats and
/// 250 x 4 + 3 doubles, so both paths run; a 1-element parameter takes only the scalar loop.
/// </summary>
public class VectorizedUpdateTests
{
    public static TheoryData<string> Kinds => new()
    {
        "adam", "adam l2", "adamw", "adamw no decay", "rmsprop", "rmsprop l2", "rmsprop momentum", "rmsprop centered",
        "rmsprop centered momentum l2", "adadelta", "adadelta l2",
    };

    // Every element must come out bit for bit as when it is stepped alone, in float and in double.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void VectorLanesAndTail_AreBitIdenticalToTheScalarLoop(string kind)
    {
        LanesMatchScalar<float>(kind);
        LanesMatchScalar<double>(kind);
    }

    // float32 over the lanes and the tail against torch.optim in float32, with random gradients for 5 steps.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Float_MatchesTorchFloat(string kind)
    {
        const int Count = 1003;
        var rng = new Rng(6);
        Tensor<float> w = Tensor.Randn<float>(rng, Count);
        using var scope = torch.NewDisposeScope();
        var tw = new TorchSharp.Modules.Parameter(torch.tensor(w.ToArray(), dtype: torch.float32));
        Optimizer<float> mini = Make<float>(kind, new[] { w });
        torch.optim.Optimizer reference = MakeTorch(kind, tw);
        for (int step = 0; step < 5; step++)
        {
            float[] g = Tensor.Randn<float>(rng, Count).ToArray();
            w.Grad = Tensor.FromArray(g, Count);
            tw.grad = torch.tensor(g, dtype: torch.float32);
            mini.Step();
            reference.step();
        }

        float[] expected = tw.data<float>().ToArray();
        float[] actual = w.ToArray();
        for (int i = 0; i < Count; i++)
        {
            actual[i].Should().BeApproximately(expected[i], (float)(Tolerances.TorchFloat * Math.Max(1, Math.Abs(expected[i]))), $"{kind}, element {i}");
        }
    }

    private static void LanesMatchScalar<T>(string kind)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int Count = 1003;
        var rng = new Rng(5);
        Tensor<T> w = Tensor.Randn<T>(rng, Count);
        Tensor<T>[] alone = Enumerable.Range(0, Count).Select(i => Tensor.FromArray(new[] { w.ToArray()[i] }, 1)).ToArray();
        Optimizer<T> whole = Make(kind, new[] { w }), single = Make(kind, alone);
        for (int step = 0; step < 4; step++)
        {
            T[] g = Tensor.Randn<T>(rng, Count).ToArray();
            w.Grad = Tensor.FromArray(g, Count);
            for (int i = 0; i < Count; i++)
            {
                alone[i].Grad = Tensor.FromArray(new[] { g[i] }, 1);
            }

            whole.Step();
            single.Step();
        }

        w.ToArray().Should().Equal(alone.Select(a => a.ToArray()[0]), $"{kind} in {typeof(T).Name}");
    }

    // Non-default hyperparameters where the defaults would hide a swapped or dropped term.
    private static Optimizer<T> Make<T>(string kind, Tensor<T>[] ps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => kind switch
        {
            "adam" => new Adam<T>(ps, 0.01, 0.8, 0.95, 1e-6),
            "adam l2" => new Adam<T>(ps, 0.01, 0.8, 0.95, 1e-6, weightDecay: 0.1),
            "adamw" => new AdamW<T>(ps, 0.01, 0.8, 0.95, 1e-6, weightDecay: 0.1),
            "adamw no decay" => new AdamW<T>(ps, 0.01, 0.8, 0.95, 1e-6, weightDecay: 0),
            "rmsprop" => new RMSprop<T>(ps, 0.01, 0.9, 1e-6),
            "rmsprop l2" => new RMSprop<T>(ps, 0.01, 0.9, 1e-6, weightDecay: 0.1),
            "rmsprop momentum" => new RMSprop<T>(ps, 0.01, 0.9, 1e-6, momentum: 0.9),
            "rmsprop centered" => new RMSprop<T>(ps, 0.01, 0.9, 1e-6, centered: true),
            "rmsprop centered momentum l2" => new RMSprop<T>(ps, 0.01, 0.9, 1e-6, weightDecay: 0.05, momentum: 0.8, centered: true),
            "adadelta" => new Adadelta<T>(ps),
            "adadelta l2" => new Adadelta<T>(ps, weightDecay: 0.1),
            _ => throw new ArgumentException($"Unknown optimizer kind '{kind}'.", nameof(kind)),
        };

    private static torch.optim.Optimizer MakeTorch(string kind, TorchSharp.Modules.Parameter p)
    {
        var ps = new[] { p };
        return kind switch
        {
            "adam" => torch.optim.Adam(ps, 0.01, 0.8, 0.95, 1e-6),
            "adam l2" => torch.optim.Adam(ps, 0.01, 0.8, 0.95, 1e-6, weight_decay: 0.1),
            "adamw" => torch.optim.AdamW(ps, 0.01, 0.8, 0.95, 1e-6, weight_decay: 0.1),
            "adamw no decay" => torch.optim.AdamW(ps, 0.01, 0.8, 0.95, 1e-6, weight_decay: 0),
            "rmsprop" => torch.optim.RMSProp(ps, 0.01, 0.9, 1e-6),
            "rmsprop l2" => torch.optim.RMSProp(ps, 0.01, 0.9, 1e-6, weight_decay: 0.1),
            "rmsprop momentum" => torch.optim.RMSProp(ps, 0.01, 0.9, 1e-6, momentum: 0.9),
            "rmsprop centered" => torch.optim.RMSProp(ps, 0.01, 0.9, 1e-6, centered: true),
            "rmsprop centered momentum l2" => torch.optim.RMSProp(ps, 0.01, 0.9, 1e-6, weight_decay: 0.05, momentum: 0.8, centered: true),
            "adadelta" => torch.optim.Adadelta(ps),
            "adadelta l2" => torch.optim.Adadelta(ps, weight_decay: 0.1),
            _ => throw new ArgumentException($"Unknown optimizer kind '{kind}'.", nameof(kind)),
        };
    }
}
