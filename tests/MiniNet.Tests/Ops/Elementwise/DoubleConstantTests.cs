using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// Every method taking a constant also takes a double, so a literal fits either element type (<c>x.Clamp(-0.5, 0.5)</c>
/// on a <c>Tensor&lt;float&gt;</c>); the constant is rounded to the element type first, as PyTorch does.
/// </summary>
public class DoubleConstantTests
{
    [Fact]
    public void FloatTensors_TakeDoubleLiterals_InEveryMethod()
    {
        // This file compiling is half the test: each call below binds to the double overload.
        var t = Tensor.FromArray([-1f, 0.25f, 2f], 3);
        t.Add(0.5).ToArray().Should().Equal(-0.5f, 0.75f, 2.5f);
        t.Sub(0.5).ToArray().Should().Equal(-1.5f, -0.25f, 1.5f);
        t.Mul(0.5).ToArray().Should().Equal(-0.5f, 0.125f, 1f);
        t.Div(0.5).ToArray().Should().Equal(-2f, 0.5f, 4f);
        t.Rsub(1.0).ToArray().Should().Equal(2f, 0.75f, -1f);
        t.Rdiv(1.0).ToArray().Should().Equal(-1f, 4f, 0.5f);
        t.Pow(2.0).ToArray().Should().Equal(1f, 0.0625f, 4f);
        t.Clamp(-0.5, 0.5).ToArray().Should().Equal(-0.5f, 0.25f, 0.5f);
        t.Clamp(null, 0.5).ToArray().Should().Equal(-1f, 0.25f, 0.5f);
        t.Clamp(0.0, null).ToArray().Should().Equal(0f, 0.25f, 2f);
        t.ClampMin(0.0).ToArray().Should().Equal(0f, 0.25f, 2f);
        t.ClampMax(1.0).ToArray().Should().Equal(-1f, 0.25f, 1f);
    }

    [Fact]
    public void TheConstant_IsRoundedToFloatFirst()
    {
        // 0.1 is not a float: x * 0.1 must equal x * 0.1f (one rounding of the constant, then the float product). For
        // x = 9 and 13 the product taken in double and rounded once differs from that, so computing in double would fail.
        var t = Tensor.FromArray([3f, 9f, 13f, 1e-3f], 4);
        ((float)(9 * 0.1)).Should().NotBe(9f * 0.1f, "the inputs must tell the two roundings apart");
        t.Mul(0.1).ToArray().Should().Equal(t.Mul(0.1f).ToArray());
        t.Clamp(0.1, 5.1).ToArray().Should().Equal(t.Clamp(0.1f, 5.1f).ToArray());
        t.Pow(1.1).ToArray().Should().Equal(t.Pow(1.1f).ToArray());
    }

    [Fact]
    public void DoubleTensors_StillResolve_WithLiteralsOfEveryKind()
    {
        // For T = double the T and double overloads coincide; C# must pick one (the double one) without ambiguity.
        var t = Tensor.FromArray([-1.0, 0.25, 2], 3);
        t.Clamp(-0.5, 0.5).ToArray().Should().Equal(-0.5, 0.25, 0.5);
        t.Clamp(null, 0.5).ToArray().Should().Equal(-1, 0.25, 0.5);
        t.ClampMin(0).ToArray().Should().Equal(0, 0.25, 2);
        t.ClampMax(1f).ToArray().Should().Equal(-1, 0.25, 1);
        t.Pow(2).ToArray().Should().Equal(1, 0.0625, 4);
        t.Add(1).Sub(1f).Mul(2.0).Div(2).Rsub(0).Rdiv(-1).ToArray().Should().Equal(-1, 4, 0.5);
    }

    public static TheoryData<string> Methods => new("Add", "Sub", "Mul", "Div", "Rsub", "Rdiv", "Pow", "Clamp", "ClampLow", "ClampHigh", "ClampMin", "ClampMax");

    [Theory]
    [MemberData(nameof(Methods))]
    public void DoubleConstant_MatchesTorch_BothElementTypes(string method)
    {
        // Positive inputs away from zero keep Pow(1.5) real and Rdiv finite; the bounds of Clamp cut through them.
        static double Sample(double v) => Math.Abs(v) + 0.2;
        OpCheck<float>.AgainstTorch([[3, 4]], xs => WithDouble(method, xs[0]), ts => Oracle(method, ts[0]), sample: Sample);
        OpCheck<double>.AgainstTorch([[3, 4]], xs => WithDouble(method, xs[0]), ts => Oracle(method, ts[0]), sample: Sample);
    }

    // In generic code the T overload cannot take a double, so every call here is the double one.
    private static Tensor<T> WithDouble<T>(string method, Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => method switch
        {
            "Add" => x.Add(0.3),
            "Sub" => x.Sub(0.3),
            "Mul" => x.Mul(0.3),
            "Div" => x.Div(0.3),
            "Rsub" => x.Rsub(0.3),
            "Rdiv" => x.Rdiv(0.3),
            "Pow" => x.Pow(1.5),
            "Clamp" => x.Clamp(0.5, 1.1),
            "ClampLow" => x.Clamp(0.5, null),
            "ClampHigh" => x.Clamp(null, 1.1),
            "ClampMin" => x.ClampMin(0.5),
            _ => x.ClampMax(1.1),
        };

    private static TT Oracle(string method, TT x) => method switch
    {
        "Add" => x + 0.3,
        "Sub" => x - 0.3,
        "Mul" => x * 0.3,
        "Div" => x / 0.3,
        "Rsub" => x.neg() + 0.3,
        "Rdiv" => x.reciprocal() * 0.3,
        "Pow" => x.pow(1.5),
        "Clamp" => x.clamp(0.5, 1.1),
        "ClampLow" => x.clamp_min(0.5),
        "ClampHigh" => x.clamp_max(1.1),
        "ClampMin" => x.clamp_min(0.5),
        _ => x.clamp_max(1.1),
    };
}
