using System;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch.nn;
using TorchSequential = TorchSharp.Modules.Sequential;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Interop;

/// <summary>
/// A model with BatchNorm1d moved through safetensors: its buffers (<c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>) carry PyTorch's state-dict names, so the file loads strictly on the other side.
/// </summary>
public sealed class BatchNormInteropTests : IDisposable
{
    private const int In = 5, Hidden = 7, Classes = 3, Batch = 13;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"mininet-interop-bn-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void MiniNetTrainedWithBatchNorm_LoadsIntoTorchSharp_AndPredictsTheSameInEval()
    {
        var rng = new Rng(21);
        var mini = new Sequential<double>(new Linear<double>(In, Hidden, rng), new BatchNorm1d<double>(Hidden), new Relu<double>(), new Linear<double>(Hidden, Classes, rng));
        using (global::MiniNet.Autograd.NoGrad())
        {
            for (int step = 0; step < 4; step++)
            {
                mini.Forward((Tensor.Randn<double>(rng, 16, In) * 3.0) + 1.0);
            }
        }

        mini.Save(_path);
        TorchSequential torchModel = Sequential(Linear(In, Hidden), BatchNorm1d(Hidden), ReLU(), Linear(Hidden, Classes));
        torchModel.to(torch.ScalarType.Float64);
        torchModel.load_safetensors(_path, strict: true);
        torchModel.eval();
        mini.Eval();

        // TorchSharp lists all parameters before all buffers; PyTorch and MiniNet go module by module. Same set of names.
        torchModel.state_dict().Keys.Should().BeEquivalentTo(mini.StateDict().Select(p => p.Name));
        Tensor<double> x = Tensor.Randn<double>(new Rng(22), Batch, In);
        using (torch.no_grad())
        using (global::MiniNet.Autograd.NoGrad())
        {
            TT prediction = torchModel.forward(TorchOracle.ToTorch(x));
            TorchOracle.AssertClose(mini.Forward(x).ToArray(), TorchOracle.Values(prediction), Tolerances.TorchDouble, "TorchSharp after loading MiniNet's BatchNorm model");
        }
    }

    [Fact]
    public void TorchSharpTrainedWithBatchNorm_LoadsIntoMiniNet_AndPredictsTheSameInEval()
    {
        torch.manual_seed(23);
        TorchSequential torchModel = Sequential(Linear(In, Hidden), BatchNorm1d(Hidden), ReLU(), Linear(Hidden, Classes));
        torchModel.to(torch.ScalarType.Float64);
        using (torch.no_grad())
        {
            for (int step = 0; step < 4; step++)
            {
                torchModel.forward((torch.randn(16, In, dtype: torch.ScalarType.Float64) * 3) + 1);
            }
        }

        // PyTorch keeps num_batches_tracked as int64; MiniNet's safetensors reader takes F32/F64 only (and rejects the
        // I64 tensor naming it, see below), so the state dict is saved with that counter as a double.
        Action direct = () =>
        {
            torchModel.save_safetensors(_path);
            new Sequential<double>(new Linear<double>(In, Hidden, new Rng(24)), new BatchNorm1d<double>(Hidden), new Relu<double>(), new Linear<double>(Hidden, Classes, new Rng(24))).Load(_path);
        };
        direct.Should().Throw<SafeTensorsFormatException>().WithMessage("*1.num_batches_tracked*I64*");
        var stateDict = torchModel.state_dict().ToDictionary(p => p.Key, p => p.Value.dtype == torch.ScalarType.Int64 ? p.Value.to(torch.ScalarType.Float64) : p.Value);
        Safetensors.SaveStateDict(_path, stateDict);
        torchModel.eval();
        var mini = new Sequential<double>(new Linear<double>(In, Hidden, new Rng(24)), new BatchNorm1d<double>(Hidden), new Relu<double>(), new Linear<double>(Hidden, Classes, new Rng(24)));
        mini.Load(_path);
        mini.Eval();

        TT x = torch.randn(Batch, In, dtype: torch.ScalarType.Float64);
        using (torch.no_grad())
        using (global::MiniNet.Autograd.NoGrad())
        {
            double[] expected = TorchOracle.Values(torchModel.forward(x));
            double[] actual = mini.Forward(Tensor.FromArray(x.data<double>().ToArray(), Batch, In)).ToArray();
            TorchOracle.AssertClose(actual, expected, Tolerances.TorchDouble, "MiniNet after loading TorchSharp's BatchNorm model");
        }
    }
}
