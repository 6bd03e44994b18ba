using System;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.NN;

public class ActivationModuleTests
{
    private static readonly Tensor<double> X = Tensor.Randn<double>(new Rng(5), 3, 4);

    public static TheoryData<string> Names => new() { "sigmoid", "tanh", "relu", "softmax", "logsoftmax" };

    private static (Module<double> Module, Func<Tensor<double>, Tensor<double>> Op) Pair(string name) => name switch
    {
        "sigmoid" => (new Sigmoid<double>(), x => x.Sigmoid()),
        "tanh" => (new Tanh<double>(), x => x.Tanh()),
        "relu" => (new Relu<double>(), x => x.Relu()),
        "softmax" => (new Softmax<double>(0), x => x.Softmax(0)),
        _ => (new LogSoftmax<double>(), x => x.LogSoftmax(-1)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_EqualsTheOp_AndHasNoParameters(string name)
    {
        var (module, op) = Pair(name);
        module.Forward(X).ToArray().Should().Equal(op(X).ToArray());
        module.NamedParameters().Should().BeEmpty();
    }

    [Fact]
    public void Softmax_DefaultAxis_IsTheLast()
    {
        Tensor<float> p = new Softmax().Forward(Tensor.Randn(new Rng(1), 2, 5));
        for (int i = 0; i < 2; i++)
        {
            float sum = 0;
            for (int j = 0; j < 5; j++)
            {
                sum += p[i, j];
            }

            sum.Should().BeApproximately(1f, 1e-6f);
        }
    }
}
