using System;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.NN;

public class NormalizationModuleTests
{
    // Several training steps through BatchNorm2d in both libraries (weights updated by SGD), then evaluation.
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void BatchNorm2d_RunningStatsAndEval_EqualTorchs_AfterSeveralSteps(double momentum)
    {
        var rng = new Rng(4);
        var bn = new BatchNorm2d<double>(3, momentum: momentum);
        var sgd = new Sgd<double>(bn.Parameters(), 0.1);
        using var scope = torch.NewDisposeScope();
        var tbn = torch.nn.BatchNorm2d(3, momentum: momentum, dtype: torch.float64);
        var tsgd = torch.optim.SGD(tbn.parameters(), 0.1);
        for (int step = 0; step < 4; step++)
        {
            Tensor<double> x = (Tensor.Randn<double>(rng, 2, 3, 3, 2) * (step + 1)) + step;
            Tensor<double> g = Tensor.Randn<double>(rng, 2, 3, 3, 2);
            sgd.ZeroGrad();
            (bn.Forward(x) * g).Sum().Backward();
            sgd.Step();
            tsgd.zero_grad();
            (tbn.forward(TorchOracle.ToTorch(x)) * TorchOracle.ToTorch(g)).sum().backward();
            tsgd.step();
        }

        var torchState = tbn.state_dict();
        foreach (var (name, tensor) in bn.StateDict())
        {
            TorchOracle.AssertClose(tensor.ToArray(), TorchOracle.Values(torchState[name].to(torch.float64)), Tolerances.TorchDouble, name);
        }

        bn.Eval();
        tbn.eval();
        Tensor<double> test = Tensor.Randn<double>(rng, 1, 3, 2, 2);
        TorchOracle.AssertClose(bn.Forward(test).ToArray(), TorchOracle.Values(tbn.forward(TorchOracle.ToTorch(test))), Tolerances.TorchDouble, "eval output");
    }

    [Fact]
    public void BatchNorm_Buffers_AreNotParameters_AndUsePyTorchNames()
    {
        var net = new Sequential(new Linear(3, 4, new Rng(1)), new BatchNorm1d(4), new LayerNorm(new[] { 4 }));
        net.NamedParameters().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias");
        net.StateDict().Select(p => p.Name).Should().Equal(
            "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "2.weight", "2.bias");
        new BatchNorm1d(4, affine: false, trackRunningStats: false).StateDict().Should().BeEmpty();
    }

    [Fact]
    public void SaveLoad_RoundTripsBuffers()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mininet-bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            var bn = new BatchNorm1d(2);
            bn.Forward(Tensor.Randn(new Rng(2), 5, 2));
            bn.Save(path);
            var fresh = new BatchNorm1d(2);
            fresh.Load(path);
            fresh.RunningMean!.ToArray().Should().Equal(bn.RunningMean!.ToArray()).And.NotEqual(new float[2]);
            fresh.NumBatchesTracked!.Item().Should().Be(1);
            Action wrong = () => new BatchNorm1d(2, trackRunningStats: false).Load(path);
            wrong.Should().Throw<SafeTensorsFormatException>().WithMessage("*running_mean*not a parameter or buffer*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Modules_Throw_OnWrongInput_NamingShapes()
    {
        ((Action)(() => new BatchNorm2d(3).Forward(Tensor.Ones(2, 3)))).Should().Throw<ArgumentException>().WithMessage("*BatchNorm2d(3)*[N, C, H, W]*[2, 3]*");
        ((Action)(() => new BatchNorm1d(3).Forward(Tensor.Ones(2, 4)))).Should().Throw<ArgumentException>().WithMessage("*C = 3*[2, 4]*");
        ((Action)(() => new Embedding(4, 2, new Rng(1)).Forward(Tensor.FromArray(new[] { 0.5f }, 1)))).Should().Throw<ArgumentException>().WithMessage("*0.5 at position 0*");
    }

    [Fact]
    public void Embedding_PaddingRowStartsAtZero_AndGetsNoGradient()
    {
        var embedding = new Embedding<double>(5, 3, new Rng(1), paddingIndex: 2);
        embedding.Weight.ToArray().Skip(6).Take(3).Should().Equal(0.0, 0.0, 0.0);
        embedding.Forward(Tensor.FromArray(new[] { 2.0, 1.0 }, 2)).Sum().Backward();
        embedding.Weight.Grad!.ToArray().Should().Equal(0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
