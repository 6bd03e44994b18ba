using System;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Ops;

public class NegTests
{
    public static TheoryData<int[]> Shapes => new() { Array.Empty<int>(), new[] { 1 }, new[] { 7 }, new[] { 4, 3 }, new[] { 2, 1, 4 }, new[] { 0, 3 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_MatchesTorch_Double(int[] shape) =>
        OpCheck.AgainstTorch(new[] { shape }, xs => xs[0].Neg(), ts => ts[0].neg());

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_MatchesTorch_Float(int[] shape) =>
        OpCheck.AgainstTorchFloat(new[] { shape }, xs => xs[0].Neg(), ts => ts[0].neg());
}
