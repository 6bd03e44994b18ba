using System.Linq;
using FluentAssertions;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.NN;

public class ConvergenceTests
{
    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void Xor_Sgd_LearnsAllFourPoints(string hidden)
    {
        var rng = new Rng(2024);
        Module<float> activation = hidden == "tanh" ? new Tanh() : new Sigmoid();
        var net = new Sequential(new Linear(2, 8, rng), activation, new Linear(8, 1, rng));
        var x = Tensor.FromArray(new[] { 0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f }, 4, 2);
        var y = Tensor.FromArray(new[] { 0f, 1f, 1f, 0f }, 4, 1);
        var sgd = new Sgd(net.Parameters(), learningRate: 0.5, momentum: 0.9);
        float initial = net.Forward(x).BinaryCrossEntropyWithLogits(y).Item();
        float loss = initial;
        for (int step = 0; step < 3000 && loss > 0.01f; step++)
        {
            sgd.ZeroGrad();
            Tensor<float> l = net.Forward(x).BinaryCrossEntropyWithLogits(y);
            l.Backward();
            sgd.Step();
            loss = l.Item();
        }

        loss.Should().BeLessThan(0.01f, $"XOR is learnable by a 2-8-1 net (initial loss {initial})");
        using (global::MiniNet.Autograd.NoGrad())
        {
            float[] logits = net.Eval().Forward(x).ToArray();
            logits.Select(z => z > 0 ? 1f : 0f).Should().Equal(y.ToArray());
        }
    }
}
