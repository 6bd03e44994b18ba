using System;
using System.Collections.Generic;
using FluentAssertions;
using MiniNet.Data;
using MiniNet.NN;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using Xunit.Sdk;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.NN;

/// <summary>
/// Whole training runs, MiniNet vs TorchSharp in float64: Nielsen's Linear-Sigmoid-Linear network trained with the
/// fused BCE-with-logits (batch mean) from the same initial weights on the same shuffled mini-batches. The loss of
/// every step and every parameter after the last step must agree to <see cref="Tolerances.TorchDouble"/>.
/// </summary>
/// <remarks>
/// Why TorchDouble holds for a whole run: each step the two sides differ only by rounding (summation order in the
/// matmuls and batch sums, exp/log within an ulp or two), a few ulps of each weight per step. Over 20 steps, even
/// adding up with no cancellation, that is ~20 * 5 * 1.1e-16 ≈ 1e-14, four orders below 1e-10; the samples'
/// MNIST run measures ~1e-15 after 300 steps. A real bug (a wrong reduction, a gradient off by a factor, a step
/// taken twice) moves the weights by 1e-3 or more, which the negative control below demonstrates.
/// </remarks>
public class TrainingAgreesWithTorchTests
{
    private const int Examples = 40, Inputs = 12, Hidden = 8, Classes = 4, BatchSize = 5, Steps = 20;

    public static TheoryData<string> Optimizers => new() { "sgd", "sgd-momentum", "adam" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Training_MatchesTorch_StepByStep_Double(string optimizer)
    {
        Run run = Train(optimizer, TorchBatchMean);

        for (int step = 0; step < Steps; step++)
        {
            TorchOracle.AssertClose(new[] { run.MiniLosses[step] }, new[] { run.TorchLosses[step] }, Tolerances.TorchDouble, $"{optimizer}: loss at step {step + 1}");
        }

        for (int i = 0; i < run.MiniParameters.Count; i++)
        {
            TorchOracle.AssertClose(run.MiniParameters[i].Values, run.TorchParameters[i], Tolerances.TorchDouble, $"{optimizer}: {run.MiniParameters[i].Name} after {Steps} steps");
        }
    }

    [Fact]
    public void Training_LearnsSomething_SoTheComparisonIsNotOfAFrozenNetwork()
    {
        Run run = Train("sgd", TorchBatchMean);

        // Lower loss on the last steps than on the first, and every parameter moved away from its initial value.
        (run.MiniLosses[^1] + run.MiniLosses[^2]).Should().BeLessThan(run.MiniLosses[0] + run.MiniLosses[1]);
        for (int i = 0; i < run.MiniParameters.Count; i++)
        {
            double moved = 0;
            for (int j = 0; j < run.InitialParameters[i].Length; j++)
            {
                moved = Math.Max(moved, Math.Abs(run.MiniParameters[i].Values[j] - run.InitialParameters[i][j]));
            }

            moved.Should().BeGreaterThan(1e-3, $"{run.MiniParameters[i].Name} must be trained");
        }
    }

    [Fact]
    public void Comparison_FailsWhenTorchUsesPyTorchsDefaultMean_NegativeControl()
    {
        // PyTorch's reduction 'mean' divides by n * classes instead of Nielsen's n: a plausible mapping mistake that
        // scales every gradient by 1/4 here. The same assertions must reject it.
        Run run = Train("sgd", (z, y, _) => F.binary_cross_entropy_with_logits(z, y, reduction: torch.nn.Reduction.Mean));

        Action compare = () => TorchOracle.AssertClose(run.MiniParameters[0].Values, run.TorchParameters[0], Tolerances.TorchDouble, "0.weight");
        compare.Should().Throw<XunitException>();
    }

    private static TT TorchBatchMean(TT logits, TT targets, int batchSize) =>
        F.binary_cross_entropy_with_logits(logits, targets, reduction: torch.nn.Reduction.Sum) / batchSize;

    private static Run Train(string optimizer, Func<TT, TT, int, TT> torchLoss)
    {
        var dataRng = new Rng(2024);
        Tensor<double> x = Tensor.Rand<double>(dataRng, Examples, Inputs);
        var labels = new int[Examples];
        for (int i = 0; i < Examples; i++)
        {
            labels[i] = dataRng.NextInt(Classes);
        }

        Tensor<double> y = Labels.OneHot<double>(labels, Classes);

        var initRng = new Rng(7);
        var mini = new Sequential<double>(
            new Linear<double>(Inputs, Hidden, initRng, init: InitScheme.Nielsen),
            new Sigmoid<double>(),
            new Linear<double>(Hidden, Classes, initRng, init: InitScheme.Nielsen));
        IReadOnlyList<(string Name, Tensor<double> Parameter)> named = mini.NamedParameters();

        using var scope = torch.NewDisposeScope();
        var p = new TorchSharp.Modules.Parameter[named.Count];
        var initial = new double[named.Count][];
        for (int i = 0; i < named.Count; i++)
        {
            p[i] = new TorchSharp.Modules.Parameter(TorchOracle.ToTorch(named[i].Parameter.Detach()));
            initial[i] = named[i].Parameter.ToArray();
        }

        var (miniOptimizer, torchOptimizer) = MakeOptimizers(optimizer, mini.Parameters(), p);
        var loader = new DataLoader<double>(x, y, BatchSize, new Rng(11), dropLast: true);
        var miniLosses = new List<double>();
        var torchLosses = new List<double>();
        while (miniLosses.Count < Steps)
        {
            foreach (Batch<double> batch in loader)
            {
                miniOptimizer.ZeroGrad();
                Tensor<double> loss = mini.Forward(batch.Inputs).BinaryCrossEntropyWithLogits(batch.Targets, Reduction.BatchMean);
                loss.Backward();
                miniOptimizer.Step();
                miniLosses.Add(loss.Item());

                torchOptimizer.zero_grad();
                TT hidden = torch.sigmoid(F.linear(TorchOracle.ToTorch(batch.Inputs), p[0], p[1]));
                TT torchLossValue = torchLoss(F.linear(hidden, p[2], p[3]), TorchOracle.ToTorch(batch.Targets), batch.Size);
                torchLossValue.backward();
                torchOptimizer.step();
                torchLosses.Add(torchLossValue.item<double>());

                if (miniLosses.Count == Steps)
                {
                    break;
                }
            }
        }

        var miniParameters = new List<(string, double[])>();
        var torchParameters = new List<double[]>();
        for (int i = 0; i < named.Count; i++)
        {
            miniParameters.Add((named[i].Name, named[i].Parameter.ToArray()));
            torchParameters.Add(TorchOracle.Values(p[i]));
        }

        return new Run(miniLosses, torchLosses, miniParameters, torchParameters, initial);
    }

    private static (Optimizer<double> Mini, torch.optim.Optimizer Torch) MakeOptimizers(
        string name, IReadOnlyList<Tensor<double>> parameters, TorchSharp.Modules.Parameter[] p) => name switch
    {
        "sgd" => (new Sgd<double>(parameters, 0.5), torch.optim.SGD(p, 0.5)),
        "sgd-momentum" => (new Sgd<double>(parameters, 0.1, momentum: 0.9), torch.optim.SGD(p, 0.1, momentum: 0.9)),
        "adam" => (new Adam<double>(parameters, 0.01), torch.optim.Adam(p, 0.01)),
        _ => throw new ArgumentException($"unknown optimizer '{name}'", nameof(name)),
    };

    private sealed record Run(
        List<double> MiniLosses, List<double> TorchLosses, List<(string Name, double[] Values)> MiniParameters, List<double[]> TorchParameters, double[][] InitialParameters);
}
