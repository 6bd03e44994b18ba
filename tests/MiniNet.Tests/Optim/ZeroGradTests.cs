using FluentAssertions;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Optim;

public class ZeroGradTests
{
    private static (Linear<double> Layer, Tensor<double> X, Tensor<double> Y) Setup()
    {
        var rng = new Rng(21);
        return (new Linear<double>(5, 3, rng), Tensor.Randn<double>(rng, 4, 5), Tensor.Rand<double>(rng, 4, 3));
    }

    private static double[] Gradient(Linear<double> layer, Tensor<double> x, Tensor<double> y)
    {
        layer.Forward(x).BinaryCrossEntropyWithLogits(y).Backward();
        return [.. layer.Weight.Grad!.ToArray(), .. layer.Bias!.Grad!.ToArray()];
    }

    [Fact]
    public void SetToNone_GradIsNull_AndTheNextBackwardWritesAFreshGradient()
    {
        var (layer, x, y) = Setup();
        var sgd = new Sgd<double>(layer.Parameters(), learningRate: 0.1);
        double[] first = Gradient(layer, x, y);
        Gradient(layer, x, y); // accumulate a second, so a stale buffer would show twice the gradient

        sgd.ZeroGrad();
        layer.Weight.Grad.Should().BeNull("PyTorch's zero_grad(set_to_none=True) semantics");
        layer.Bias!.Grad.Should().BeNull();

        Gradient(layer, x, y).Should().Equal(first, "the reused buffer is overwritten, not added to");
    }

    [Fact]
    public void SetToNoneFalse_ZeroesInPlace_AndStepSkipsParametersWithoutGradient()
    {
        var (layer, x, y) = Setup();
        var sgd = new Sgd<double>(layer.Parameters(), learningRate: 0.1);
        Gradient(layer, x, y);
        sgd.ZeroGrad(setToNone: false);
        layer.Weight.Grad!.ToArray().Should().OnlyContain(v => v == 0);

        sgd.ZeroGrad();
        double[] before = layer.Weight.ToArray();
        sgd.Step();
        layer.Weight.ToArray().Should().Equal(before, "a parameter whose gradient is None is skipped, as in PyTorch");
    }
}
