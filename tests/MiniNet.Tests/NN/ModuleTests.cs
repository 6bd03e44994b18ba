using System;
using System.Linq;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.NN;

public class ModuleTests
{
    [Fact]
    public void Sequential_NamesParameters_LikePyTorchStateDict()
    {
        var rng = new Rng(1);
        var net = new Sequential(new Linear(2, 3, rng), new Sigmoid(), new Linear(3, 1, rng, bias: false));
        net.NamedParameters().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight");
        net.NamedParameters().Select(p => p.Parameter.Shape.ToArray()).Should().BeEquivalentTo(
            new[] { new[] { 3, 2 }, new[] { 3 }, new[] { 1, 3 } }, o => o.WithStrictOrdering());
        net.Parameters().Should().OnlyContain(p => p.RequiresGrad && p.IsLeaf);
    }

    [Fact]
    public void Nested_Sequential_PrefixesNames()
    {
        var rng = new Rng(1);
        var net = new Sequential(new Sequential(new Linear(2, 2, rng)), new Linear(2, 1, rng));
        net.NamedParameters().Select(p => p.Name).Should().Equal("0.0.weight", "0.0.bias", "1.weight", "1.bias");
    }

    [Fact]
    public void TrainEval_PropagateToChildren()
    {
        var rng = new Rng(1);
        var inner = new Linear(2, 2, rng);
        var net = new Sequential(new Sequential(inner), new Sigmoid());
        net.IsTraining.Should().BeTrue();
        net.Eval();
        inner.IsTraining.Should().BeFalse();
        net[1].IsTraining.Should().BeFalse();
        net.Train();
        inner.IsTraining.Should().BeTrue();
    }

    [Fact]
    public void ZeroGrad_ClearsEveryParameterGradient()
    {
        var rng = new Rng(2);
        var net = new Sequential(new Linear(3, 4, rng), new Sigmoid(), new Linear(4, 1, rng));
        net.Forward(Tensor.Randn(rng, 5, 3)).BinaryCrossEntropyWithLogits(Tensor.Ones(5, 1)).Backward();
        net.Parameters().Should().OnlyContain(p => p.Grad != null && p.Grad.ToArray().Any(v => v != 0));
        net.ZeroGrad();
        net.Parameters().Should().OnlyContain(p => p.Grad!.ToArray().All(v => v == 0));
    }

    [Fact]
    public void Linear_Forward_IsXWTransposePlusBias()
    {
        var rng = new Rng(3);
        var layer = new Linear<double>(3, 2, rng);
        var x = Tensor.Randn<double>(rng, 4, 3);
        Tensor<double> y = layer.Forward(x);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                double expected = layer.Bias![j];
                for (int p = 0; p < 3; p++)
                {
                    expected += x[i, p] * layer.Weight[j, p];
                }

                y[i, j].Should().BeApproximately(expected, 1e-12);
            }
        }
    }

    [Fact]
    public void Linear_SameSeed_SameParameters()
    {
        var a = new Linear(5, 3, new Rng(9));
        var b = new Linear(5, 3, new Rng(9));
        a.Weight.ToArray().Should().Equal(b.Weight.ToArray());
        a.Bias!.ToArray().Should().Equal(b.Bias!.ToArray());
    }

    private sealed class Custom : Module<float>
    {
        public Custom(Rng rng)
        {
            Scale = RegisterParameter("scale", Tensor.Ones(1));
            Body = RegisterModule("body", new Linear(2, 2, rng));
        }

        public Tensor<float> Scale { get; }

        public Linear Body { get; }

        public void Register(string name) => RegisterParameter(name, Tensor.Zeros(1));

        public override Tensor<float> Forward(Tensor<float> input) => Body.Forward(input) * Scale;
    }

    [Fact]
    public void CustomModule_OwnParametersFirst_ThenChildren()
    {
        var m = new Custom(new Rng(1));
        m.NamedParameters().Select(p => p.Name).Should().Equal("scale", "body.weight", "body.bias");
        m.NamedChildren().Select(c => c.Name).Should().Equal("body");
    }

    [Theory]
    [InlineData("scale")]
    [InlineData("body")]
    [InlineData("a.b")]
    [InlineData("")]
    public void RegisterParameter_Throws_OnBadOrTakenName(string name)
    {
        var m = new Custom(new Rng(1));
        Action act = () => m.Register(name);
        act.Should().Throw<ArgumentException>().WithMessage($"*'{name}'*");
    }

    [Fact]
    public void Throws_OnNonPositiveSizes()
    {
        Action act = () => _ = new Linear(0, 3, new Rng(1));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
