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
/// Moving a model between MiniNet and TorchSharp/PyTorch through safetensors: MiniNet's <c>module.Save</c> file
/// loads with PyBridge's <c>load_safetensors</c> into the equivalent <c>nn.Sequential</c> (strict: same state-dict
/// names and shapes), and a TorchSharp-trained model saved with <c>save_safetensors</c> loads with MiniNet's
/// <c>module.Load</c>; both sides then predict the same.
/// </summary>
public sealed class SafeTensorsInteropTests : IDisposable
{
    private const int In = 6, Classes = 3, Batch = 17;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"mininet-interop-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void MiniNetSaved_LoadsIntoTorchSharpSequential_AndPredictsTheSame_Float()
    {
        var mini = MiniMlp<float>(new Rng(11));
        mini.Save(_path);
        TorchSequential torchModel = TorchMlp(torch.ScalarType.Float32);
        torchModel.load_safetensors(_path, strict: true);

        Tensor<float> x = Tensor.Randn(new Rng(12), Batch, In);
        TT prediction = torchModel.forward(TorchOracle.ToTorch(x));
        TorchOracle.AssertClose(ToDouble(Forward(mini, x)), TorchOracle.Values(prediction), Tolerances.TorchFloat, "TorchSharp after loading MiniNet's file");
        torchModel.state_dict().Keys.Should().Equal(mini.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void MiniNetSaved_LoadsIntoTorchSharpSequential_AndPredictsTheSame_Double()
    {
        var mini = MiniMlp<double>(new Rng(13));
        mini.Save(_path);
        TorchSequential torchModel = TorchMlp(torch.ScalarType.Float64);
        torchModel.load_safetensors(_path, strict: true);

        Tensor<double> x = Tensor.Randn<double>(new Rng(14), Batch, In);
        TT prediction = torchModel.forward(TorchOracle.ToTorch(x));
        TorchOracle.AssertClose(Forward(mini, x), TorchOracle.Values(prediction), Tolerances.TorchDouble, "TorchSharp after loading MiniNet's file");
    }

    [Theory]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.Float64)]
    public void TorchSharpTrained_SavedWithPyBridge_LoadsIntoMiniNet_AndPredictsTheSame(torch.ScalarType type)
    {
        torch.manual_seed(15);
        TorchSequential torchModel = TorchMlp(type);
        TrainALittle(torchModel, type);
        torchModel.save_safetensors(_path);

        bool isFloat = type == torch.ScalarType.Float32;
        TT x = torch.randn(Batch, In, dtype: type);
        double[] expected = TorchOracle.Values(torchModel.forward(x));
        double[] actual;
        if (isFloat)
        {
            var mini = MiniMlp<float>(new Rng(16));
            mini.Load(_path);
            actual = ToDouble(Forward(mini, Tensor.FromArray(x.data<float>().ToArray(), Batch, In)));
        }
        else
        {
            var mini = MiniMlp<double>(new Rng(16));
            mini.Load(_path);
            actual = Forward(mini, Tensor.FromArray(x.data<double>().ToArray(), Batch, In));
        }

        TorchOracle.AssertClose(actual, expected, isFloat ? Tolerances.TorchFloat : Tolerances.TorchDouble, "MiniNet after loading TorchSharp's file");
    }

    [Fact]
    public void TorchSharpFile_OfTheWrongArchitecture_IsRejectedByMiniNet_NamingTheTensor()
    {
        TorchSequential torchModel = Sequential(Linear(In, 16), ReLU(), Linear(16, 5));
        torchModel.save_safetensors(_path);

        var mini = MiniMlp<float>(new Rng(17));
        Action load = () => mini.Load(_path);
        load.Should().Throw<SafeTensorsFormatException>().WithMessage("*2.weight*");
    }

    /// <summary>The MiniNet side: Linear-ReLU-Linear-Tanh-Linear-LogSoftmax, state dict 0.*, 2.*, 4.*.</summary>
    private static Sequential<T> MiniMlp<T>(Rng rng)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        new(new Linear<T>(In, 16, rng), new Relu<T>(), new Linear<T>(16, 8, rng), new Tanh<T>(), new Linear<T>(8, Classes, rng), new LogSoftmax<T>());

    /// <summary>The same architecture in TorchSharp; <c>nn.Sequential</c> names its children 0, 1, ... like PyTorch.</summary>
    private static TorchSequential TorchMlp(torch.ScalarType type)
    {
        TorchSequential model = Sequential(Linear(In, 16), ReLU(), Linear(16, 8), Tanh(), Linear(8, Classes), LogSoftmax(1));
        model.to(type);
        return model;
    }

    private static void TrainALittle(TorchSequential model, torch.ScalarType type)
    {
        var optimizer = torch.optim.SGD(model.parameters(), 0.1);
        TT x = torch.randn(32, In, dtype: type);
        TT labels = torch.randint(0, Classes, new long[] { 32 }, dtype: torch.ScalarType.Int64);
        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            torch.nn.functional.nll_loss(model.forward(x), labels).backward();
            optimizer.step();
        }
    }

    private static T[] Forward<T>(Sequential<T> model, Tensor<T> x)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        using (global::MiniNet.Autograd.NoGrad())
        {
            return model.Forward(x).ToArray();
        }
    }

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
