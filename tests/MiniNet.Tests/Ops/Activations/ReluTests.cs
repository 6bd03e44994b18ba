using System;
using FluentAssertions;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ReluTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Relu();

    protected override TT Oracle(TT x) => torch.nn.functional.relu(x);

    // Away from the kink at 0, where finite differences are undefined.
    protected override Func<double, double>? Sample => z => z + (0.1 * Math.Sign(z));

    [Fact]
    public void GradientAtZeroAndBelow_IsZero()
    {
        var x = Tensor.FromArray([-3, -0.0, 0, 1e-300, 2], 5);
        x.RequiresGrad = true;
        x.Relu().Backward(Tensor.Full(7.0, 5));
        x.Grad!.ToArray().Should().Equal(0, 0, 0, 7, 7);
    }

    [Fact]
    public void NaN_StaysNaN_InFloat()
    {
        Tensor<float> y = Tensor.FromArray([-1f, float.NaN, 2f], 3).Relu();
        float.IsNaN(y.ToArray()[1]).Should().BeTrue("relu(NaN) is NaN in PyTorch; max(NaN, 0) must not turn it into 0");
        y.ToArray()[0].Should().Be(0f);
    }

    /// <summary>Long enough for the vector part of the backward (and its scalar tail): the same rule at NaN, ±0, ±inf.</summary>
    [Fact]
    public void Backward_VectorPath_MatchesTheRule()
    {
        double[] pattern = [-3, -0.0, 0, 1e-300, 2, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1e-300];
        double[] values = new double[41];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = pattern[i % pattern.Length];
        }

        Check(Tensor.FromArray(values, values.Length));
        Check(Tensor.FromArray(Array.ConvertAll(values, v => (float)v), values.Length));

        static void Check<T>(Tensor<T> x)
            where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        {
            x.RequiresGrad = true;
            Tensor<T> g = Tensor.Arange<T>(T.One, T.CreateChecked(x.Count + 1), T.One);
            x.Relu().Backward(g);
            T[] input = x.Detach().ToArray(), grad = x.Grad!.ToArray(), upstream = g.ToArray();
            for (int i = 0; i < input.Length; i++)
            {
                grad[i].Should().Be(input[i] <= T.Zero ? T.Zero : upstream[i], $"element {i} (x = {input[i]})");
            }
        }
    }
}
