using System;
using FluentAssertions;
using MiniNet.NN;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.NN;

public class ActivationModuleTests
{
    private static readonly Tensor<double> X = Tensor.Randn<double>(new Rng(5), 3, 4);

    public static TheoryData<string> Names => new() { "sigmoid", "tanh", "relu", "softmax", "logsoftmax", "gelu", "gelutanh", "silu", "leakyrelu", "softplus" };

    private static (Module<double> Module, Func<Tensor<double>, Tensor<double>> Op) Pair(string name) => name switch
    {
        "sigmoid" => (new Sigmoid<double>(), x => x.Sigmoid()),
        "tanh" => (new Tanh<double>(), x => x.Tanh()),
        "relu" => (new Relu<double>(), x => x.Relu()),
        "softmax" => (new Softmax<double>(0), x => x.Softmax(0)),
        "gelu" => (new Gelu<double>(), x => x.Gelu()),
        "gelutanh" => (new Gelu<double>(GeluApproximation.Tanh), x => x.Gelu(GeluApproximation.Tanh)),
        "silu" => (new Silu<double>(), x => x.Silu()),
        "leakyrelu" => (new LeakyRelu<double>(0.2), x => x.LeakyRelu(0.2)),
        "softplus" => (new Softplus<double>(2, 1), x => x.Softplus(2, 1)),
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

    public static TheoryData<string> TorchModules => new() { "gelu", "gelutanh", "silu", "leakyrelu", "leakyreluDefault", "softplus", "softplusDefault" };

    [Theory]
    [MemberData(nameof(TorchModules))]
    public void Module_MatchesTheTorchModule_BothTypes(string name)
    {
        // Inputs spread over [-6, 6] so Softplus(beta 2, threshold 1) meets both regimes; float GELU's gradient cancels
        // near x = -0.75 (see PointwiseNonContiguousTests), hence the documented cancellation constant there.
        static double Spread(double v) => 2.5 * v;
        double floatTolerance = name.StartsWith("gelu", StringComparison.Ordinal) ? Tolerances.TorchFloatCancellation : Tolerances.TorchFloat;
        OpCheck<double>.AgainstTorch([[4, 5]], xs => MiniModule<double>(name).Forward(xs[0]), ts => TorchModule(name).call(ts[0]), sample: Spread);
        OpCheck<float>.AgainstTorch([[4, 5]], xs => MiniModule<float>(name).Forward(xs[0]), ts => TorchModule(name).call(ts[0]), sample: Spread, tolerance: floatTolerance);
        SecondOrderCheck.AgainstTorch([[3, 2]], xs => MiniModule<double>(name).Forward(xs[0]), ts => TorchModule(name).call(ts[0]), sample: Spread);
    }

    [Fact]
    public void FloatModules_UseTheDefaultsOfPyTorch()
    {
        new LeakyRelu().NegativeSlope.Should().Be(0.01);
        (new Softplus().Beta, new Softplus().Threshold).Should().Be((1.0, 20.0));
        new Gelu().Approximate.Should().Be(GeluApproximation.None);
        new Silu().Forward(Tensor.FromArray([0f, 2f], 2)).ToArray().Should().Equal(0f, 2f / (1 + MathF.Exp(-2f)));
    }

    [Fact]
    public void BadOptions_ThrowAtConstruction_NamingModuleAndOption()
    {
        FluentActions.Invoking(() => new Gelu((GeluApproximation)3)).Should().Throw<ArgumentException>().WithMessage("nn.Gelu*approximate*3*");
        FluentActions.Invoking(() => new LeakyRelu<double>(double.NaN)).Should().Throw<ArgumentException>().WithMessage("nn.LeakyRelu*negativeSlope*NaN*");
        FluentActions.Invoking(() => new Softplus(0)).Should().Throw<ArgumentException>().WithMessage("nn.Softplus*beta = 0*").Which.ParamName.Should().Be("beta");
        FluentActions.Invoking(() => new Softplus<double>(1, double.NaN)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("threshold");
    }

    private static Module<T> MiniModule<T>(string name)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => name switch
        {
            "gelu" => new Gelu<T>(),
            "gelutanh" => new Gelu<T>(GeluApproximation.Tanh),
            "silu" => new Silu<T>(),
            "leakyrelu" => new LeakyRelu<T>(0.2),
            "leakyreluDefault" => new LeakyRelu<T>(),
            "softplus" => new Softplus<T>(2, 1),
            "softplusDefault" => new Softplus<T>(),
            _ => throw new ArgumentException(name),
        };

    private static torch.nn.Module<TT, TT> TorchModule(string name) => name switch
    {
        "gelu" => torch.nn.GELU(),
        "gelutanh" => torch.nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh),
        "silu" => torch.nn.SiLU(),
        "leakyrelu" => torch.nn.LeakyReLU(0.2),
        "leakyreluDefault" => torch.nn.LeakyReLU(),
        "softplus" => torch.nn.Softplus(2, 1),
        "softplusDefault" => torch.nn.Softplus(),
        _ => throw new ArgumentException(name),
    };
}
