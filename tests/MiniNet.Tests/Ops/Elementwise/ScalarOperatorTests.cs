using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>Scalars on either side of + - * / for both element types (issue 11: <c>10.0 / t</c>, <c>t * 0.5</c> for float).</summary>
public class ScalarOperatorTests
{
    [Fact]
    public void DoubleLiterals_WorkWithFloatTensors_OnEitherSide()
    {
        var t = Tensor.FromArray([1f, 2f, 4f], 3);
        (t * 0.5).ToArray().Should().Equal(0.5f, 1f, 2f);
        (0.5 * t).ToArray().Should().Equal(0.5f, 1f, 2f);
        (10.0 / t).ToArray().Should().Equal(10f, 5f, 2.5f);
        (t / 2.0).ToArray().Should().Equal(0.5f, 1f, 2f);
        (2 - t).ToArray().Should().Equal(1f, 0f, -2f);
        (2.0 - t).ToArray().Should().Equal(1f, 0f, -2f);
        (t - 1.5).ToArray().Should().Equal(-0.5f, 0.5f, 2.5f);
        (t + 1).ToArray().Should().Equal(2f, 3f, 5f);
        (1.0 + t).ToArray().Should().Equal(2f, 3f, 5f);
        (t * 3f).ToArray().Should().Equal(3f, 6f, 12f);
    }

    [Fact]
    public void Literals_WorkWithDoubleTensors_OnEitherSide()
    {
        var t = Tensor.FromArray([1.0, 2, 4], 3);
        (t * 0.5).ToArray().Should().Equal(0.5, 1, 2);
        (10.0 / t).ToArray().Should().Equal(10, 5, 2.5);
        (10 / t).ToArray().Should().Equal(10, 5, 2.5);
        (2 - t).ToArray().Should().Equal(1, 0, -2);
        (t + 1).ToArray().Should().Equal(2, 3, 5);
        (0.25f * t).ToArray().Should().Equal(0.25, 0.5, 1);
    }

    [Fact]
    public void GenericCode_UsesTheElementTypeOverloads()
    {
        TwoOver(Tensor.FromArray([2.0, 4], 2)).ToArray().Should().Equal(1, 0.5);
        TwoOver(Tensor.FromArray([2f, 4f], 2)).ToArray().Should().Equal(1f, 0.5f);

        // (2 / x) * x / x - 1 + 1 = 2 / x, through T-typed scalars on both sides of every operator.
        static Tensor<T> TwoOver<T>(Tensor<T> x)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => ((T.One + T.One) / x * x / x) - T.One + T.One;
    }

    [Fact]
    public void ScalarLeftOps_HaveGradients_AndSecondDerivatives_MatchingTorch()
    {
        OpCheck<double>.AgainstTorch([[3, 4]], xs => (2 - xs[0]) * (10.0 / (xs[0] * xs[0] + 1)) + 0.5, ts => (ts[0].neg() + 2) * ((ts[0] * ts[0] + 1).reciprocal() * 10.0) + 0.5);
        OpCheck<float>.AgainstTorch([[3, 4]], xs => (2 - xs[0]) * (10.0 / (xs[0] * xs[0] + 1)) + 0.5, ts => (ts[0].neg() + 2) * ((ts[0] * ts[0] + 1).reciprocal() * 10.0) + 0.5);
        SecondOrderCheck.AgainstTorch([[2, 3]], xs => 3.0 / (xs[0] * xs[0] + 1) - (1 - xs[0]), ts => (ts[0] * ts[0] + 1).reciprocal() * 3.0 - (ts[0].neg() + 1));
    }

    public static TheoryData<string> Operators => new("t + c", "c + t", "t - c", "c - t", "t * c", "c * t", "t / c", "c / t");

    [Theory]
    [MemberData(nameof(Operators))]
    public void EveryOperator_BothSides_BothScalarTypes_OnATransposedView_MatchesTorch(string op)
    {
        // The scalar as a double literal and as a T, on a transposed view: values and gradients into the leaf, second order.
        Func<double, double> sample = BroadcastCases.AwayFromZero;
        OpCheck<double>.AgainstTorch([[4, 3]], xs => WithDouble(op, xs[0].Transpose(), 2.5), ts => Oracle(op, ts[0].t(), 2.5), sample: sample);
        OpCheck<double>.AgainstTorch([[4, 3]], xs => WithT(op, xs[0].Transpose(), 2.5), ts => Oracle(op, ts[0].t(), 2.5), sample: sample);
        OpCheck<float>.AgainstTorch([[4, 3]], xs => WithDouble(op, xs[0].Transpose(), 2.5), ts => Oracle(op, ts[0].t(), 2.5), sample: sample);
        OpCheck<float>.AgainstTorch([[4, 3]], xs => WithT(op, xs[0].Transpose(), 2.5f), ts => Oracle(op, ts[0].t(), 2.5), sample: sample);
        SecondOrderCheck.AgainstTorch([[4, 3]], xs => Squared(WithDouble(op, xs[0].Transpose(), 2.5)), ts => Oracle(op, ts[0].t(), 2.5).square(), sample: sample);
    }

    private static Tensor<double> Squared(Tensor<double> y) => y.Mul(y);

    private static Tensor<T> WithDouble<T>(string op, Tensor<T> t, double c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => op switch
        {
            "t + c" => t + c, "c + t" => c + t, "t - c" => t - c, "c - t" => c - t,
            "t * c" => t * c, "c * t" => c * t, "t / c" => t / c, "c / t" => c / t,
            _ => throw new ArgumentException(op),
        };

    private static Tensor<T> WithT<T>(string op, Tensor<T> t, T c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => op switch
        {
            "t + c" => t + c, "c + t" => c + t, "t - c" => t - c, "c - t" => c - t,
            "t * c" => t * c, "c * t" => c * t, "t / c" => t / c, "c / t" => c / t,
            _ => throw new ArgumentException(op),
        };

    private static TT Oracle(string op, TT t, double c) => op switch
    {
        "t + c" or "c + t" => t + c, "t - c" => t - c, "c - t" => t.neg() + c,
        "t * c" or "c * t" => t * c, "t / c" => t / c, "c / t" => t.reciprocal() * c,
        _ => throw new ArgumentException(op),
    };
}
