using System;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// The tests every elementwise unary op must pass (float64 and float32 against TorchSharp over many shapes, second
/// derivatives in both, tiny/huge/special inputs, NaN propagation); each op's test class names its op and its TorchSharp
/// counterpart once and inherits these, adding only what is particular to it.
/// </summary>
public abstract class UnaryOpTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 1, 5 }, new[] { 2, 3, 4 }, new[] { 37 }, new[] { 0 }, new[] { 2, 0 },
    };

    /// <summary>The op in MiniNet.</summary>
    protected abstract Tensor<T> Apply<T>(Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>The op in TorchSharp.</summary>
    protected abstract TT Oracle(TT x);

    /// <summary>Maps standard normal samples to inputs (e.g. keeps Log's input positive and well conditioned).</summary>
    protected virtual Func<double, double>? Sample => null;

    /// <summary>
    /// Inputs whose forward value and gradient (upstream 1) must equal TorchSharp's, NaN for NaN and infinities
    /// exactly: zeros of both signs, subnormal, tiny, moderate, huge, infinite and NaN by default.
    /// </summary>
    protected virtual double[] SpecialValues =>
        [0.0, -0.0, 4e-320, -1e-40, 1e-30, -1e-8, 0.5, -1, 3, -20, 50, 1e30, -1e30, double.PositiveInfinity, double.NegativeInfinity, double.NaN];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape) =>
        OpCheck<double>.AgainstTorch([shape], xs => Apply(xs[0]), ts => Oracle(ts[0]), sample: Sample);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape) =>
        OpCheck<float>.AgainstTorch([shape], xs => Apply(xs[0]), ts => Oracle(ts[0]), sample: Sample);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SecondDerivatives_MatchTorch(int rows) =>
        SecondOrderCheck.AgainstTorch([[rows, 2]], x => Apply(x[0]), t => Oracle(t[0]), sample: Sample);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(37)]
    public void SecondDerivatives_MatchTorch_Float(int rows) =>
        SecondOrderCheck<float>.AgainstTorch([[rows, 2]], x => Apply(x[0]), t => Oracle(t[0]), sample: Sample);

    [Fact]
    public void SpecialValues_MatchTorch_Double() => SpecialValuesMatchTorch<double>(Tolerances.TorchDouble);

    [Fact]
    public void SpecialValues_MatchTorch_Float() => SpecialValuesMatchTorch<float>(Tolerances.TorchFloat);

    [Fact]
    public void NaN_PropagatesToTheOutput()
    {
        var x = Tensor.FromArray([0.5, double.NaN], 2);
        double.IsNaN(Apply(x).ToArray()[1]).Should().BeTrue("NaN inputs must not be hidden");
    }

    private void SpecialValuesMatchTorch<T>(double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] values = SpecialValues.Select(T.CreateSaturating).ToArray();
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<T> y = Apply(x);
        y.Backward(Tensor.Ones<T>(values.Length));

        using var scope = torch.NewDisposeScope();
        TT tx = TorchOracle.ToTorch(x.Detach(), requiresGrad: true);
        TT ty = Oracle(tx);
        ty.backward([torch.ones_like(ty)]);
        string inputs = string.Join(", ", values);
        TorchOracle.AssertClose(y.ToArray().Select(double.CreateChecked).ToArray(), TorchOracle.Values(ty), tolerance, $"forward at {inputs}");
        TorchOracle.AssertClose(x.Grad!.ToArray().Select(double.CreateChecked).ToArray(), TorchOracle.Values(tx.grad!), tolerance, $"gradient at {inputs}");
    }
}
