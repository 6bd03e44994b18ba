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
/// PyTorch's examples/mnist CNN moved between MiniNet and TorchSharp through safetensors, both ways: the state-dict
/// names are PyTorch's (<c>0.weight</c> [32, 1, 3, 3], <c>2.weight</c>, <c>7.weight</c> [128, 9216], <c>10.weight</c>)
/// and both sides predict the same in evaluation mode (dropout off).
/// </summary>
public sealed class CnnInteropTests : IDisposable
{
    private const int Batch = 5;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"mininet-interop-cnn-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MiniNetCnn_LoadsIntoTorchSharpSequential_AndPredictsTheSame(bool isDouble)
    {
        torch.ScalarType type = isDouble ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
        TorchSequential torchModel = TorchCnn(type);
        double[] actual, expected;
        if (isDouble)
        {
            Sequential<double> mini = MiniCnn<double>(new Rng(31));
            mini.Save(_path);
            torchModel.load_safetensors(_path, strict: true);
            torchModel.state_dict().Keys.Should().Equal(mini.StateDict().Select(p => p.Name));
            Tensor<double> x = Tensor.Randn<double>(new Rng(32), Batch, 1, 28, 28);
            actual = Forward(mini, x);
            expected = TorchForward(torchModel, TorchOracle.ToTorch(x));
        }
        else
        {
            Sequential<float> mini = MiniCnn<float>(new Rng(33));
            mini.Save(_path);
            torchModel.load_safetensors(_path, strict: true);
            Tensor<float> x = Tensor.Randn<float>(new Rng(34), Batch, 1, 28, 28);
            actual = Array.ConvertAll(Forward(mini, x), v => (double)v);
            expected = TorchForward(torchModel, TorchOracle.ToTorch(x));
        }

        TorchOracle.AssertClose(actual, expected, isDouble ? Tolerances.TorchDouble : Tolerances.TorchFloat, "TorchSharp after loading MiniNet's CNN");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TorchSharpTrainedCnn_SavedWithPyBridge_LoadsIntoMiniNet_AndPredictsTheSame(bool isDouble)
    {
        torch.ScalarType type = isDouble ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
        torch.manual_seed(35);
        TorchSequential torchModel = TorchCnn(type);
        var optimizer = torch.optim.Adadelta(torchModel.parameters(), 1.0);
        TT images = torch.randn(16, 1, 28, 28, dtype: type);
        TT labels = torch.randint(0, 10, new long[] { 16 }, dtype: torch.ScalarType.Int64);
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            torch.nn.functional.nll_loss(torchModel.forward(images), labels).backward();
            optimizer.step();
        }

        torchModel.save_safetensors(_path);
        TT x = torch.randn(Batch, 1, 28, 28, dtype: type);
        double[] expected = TorchForward(torchModel, x);
        double[] actual;
        if (isDouble)
        {
            Sequential<double> mini = MiniCnn<double>(new Rng(36));
            mini.Load(_path);
            actual = Forward(mini, Tensor.FromArray(x.data<double>().ToArray(), Batch, 1, 28, 28));
        }
        else
        {
            Sequential<float> mini = MiniCnn<float>(new Rng(36));
            mini.Load(_path);
            actual = Array.ConvertAll(Forward(mini, Tensor.FromArray(x.data<float>().ToArray(), Batch, 1, 28, 28)), v => (double)v);
        }

        TorchOracle.AssertClose(actual, expected, isDouble ? Tolerances.TorchDouble : Tolerances.TorchFloat, "MiniNet after loading TorchSharp's CNN");
        ArgMax(actual).Should().Equal(ArgMax(expected));
    }

    /// <summary>The MiniNet side: PyTorch's examples/mnist <c>Net</c> as a Sequential (state dict 0.*, 2.*, 7.*, 10.*).</summary>
    private static Sequential<T> MiniCnn<T>(Rng rng)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        new(new Conv2d<T>(1, 32, 3, rng), new Relu<T>(), new Conv2d<T>(32, 64, 3, rng), new Relu<T>(), new MaxPool2d<T>(2), new Dropout<T>(0.25, rng),
            new Flatten<T>(), new Linear<T>(9216, 128, rng), new Relu<T>(), new Dropout<T>(0.5, rng), new Linear<T>(128, 10, rng), new LogSoftmax<T>());

    private static TorchSequential TorchCnn(torch.ScalarType type)
    {
        TorchSequential model = Sequential(
            Conv2d(1, 32, 3), ReLU(), Conv2d(32, 64, 3), ReLU(), MaxPool2d(2), Dropout(0.25),
            Flatten(), Linear(9216, 128), ReLU(), Dropout(0.5), Linear(128, 10), LogSoftmax(1));
        model.to(type);
        return model;
    }

    private static double[] TorchForward(TorchSequential model, TT x)
    {
        model.eval();
        using (torch.no_grad())
        {
            double[] result = TorchOracle.Values(model.forward(x));
            model.train();
            return result;
        }
    }

    private static T[] Forward<T>(Sequential<T> model, Tensor<T> x)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        using (model.Evaluating())
        using (global::MiniNet.Autograd.NoGrad())
        {
            return model.Forward(x).ToArray();
        }
    }

    private static int[] ArgMax(double[] values) =>
        Enumerable.Range(0, values.Length / 10).Select(row => Enumerable.Range(0, 10).MaxBy(c => values[(row * 10) + c])).ToArray();
}
