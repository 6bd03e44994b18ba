using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>
/// The tests every broadcasting binary op (Add, Sub, Mul, Div) must pass; each op's test class names its op and
/// its TorchSharp counterpart once and inherits these.
/// </summary>
public abstract class BinaryOpTests
{
    public static TheoryData<int[], int[]> Pairs => BroadcastCases.Pairs;

    /// <summary>The op's name as its error messages give it.</summary>
    protected abstract string OpName { get; }

    /// <summary>The op in MiniNet.</summary>
    protected abstract Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>The op in TorchSharp.</summary>
    protected abstract TT Oracle(TT a, TT b);

    /// <summary>Maps standard normal samples to inputs (Div keeps its divisors away from zero).</summary>
    protected virtual Func<double, double>? Sample => null;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Backward_MatchesTorch_Double(int[] left, int[] right) =>
        OpCheck<double>.AgainstTorch(new[] { left, right }, xs => Apply(xs[0], xs[1]), ts => Oracle(ts[0], ts[1]), sample: Sample);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Backward_MatchesTorch_Float(int[] left, int[] right) =>
        OpCheck<float>.AgainstTorch(new[] { left, right }, xs => Apply(xs[0], xs[1]), ts => Oracle(ts[0], ts[1]), sample: Sample);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void OnlyOneInputRequiresGrad_MatchesTorch(bool leftGrad, bool rightGrad) =>
        OpCheck<double>.AgainstTorch(new[] { new[] { 4, 3 }, new[] { 4, 1 } }, xs => Apply(xs[0], xs[1]), ts => Oracle(ts[0], ts[1]), gradInputs: new[] { leftGrad, rightGrad }, sample: Sample);

    [Fact]
    public void Throws_OnShapeMismatch_NamingBothShapesAndOp()
    {
        Action act = () => Apply(Tensor.Zeros<double>(4, 3), Tensor.Zeros<double>(2));
        act.Should().Throw<ArgumentException>().WithMessage($"*{OpName}*[4, 3]*[2]*");
        Action act3 = () => Apply(Tensor.Zeros<float>(2, 3, 4), Tensor.Zeros<float>(3, 3));
        act3.Should().Throw<ArgumentException>().WithMessage($"*{OpName}*[2, 3, 4]*[3, 3]*");
    }
}

/// <summary>A binary op that also has a tensor-by-constant overload (<c>x.Add(2.5)</c>).</summary>
public abstract class ScalarBinaryOpTests : BinaryOpTests
{
    public static TheoryData<int[], double> ScalarCases => new()
    {
        { Array.Empty<int>(), 2.5 }, { new[] { 5 }, -1.75 }, { new[] { 4, 3 }, 3 }, { new[] { 2, 1, 4 }, -0.5 }, { new[] { 0, 3 }, 2 },
    };

    /// <summary>The constant overload in MiniNet.</summary>
    protected abstract Tensor<T> ApplyScalar<T>(Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>The same in TorchSharp.</summary>
    protected abstract TT OracleScalar(TT a, double b);

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarOverload_MatchesTorch_Double(int[] shape, double c) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => ApplyScalar(xs[0], c), ts => OracleScalar(ts[0], c));

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarOverload_MatchesTorch_Float(int[] shape, double c) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => ApplyScalar(xs[0], (float)c), ts => OracleScalar(ts[0], (float)c));
}
