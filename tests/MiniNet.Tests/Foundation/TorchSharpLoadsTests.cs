using FluentAssertions;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Foundation;

/// <summary>
/// Proves the oracle loads on this machine: if the build-time libstdc++ fix (tests/Build/TorchSharpLoadFix.targets)
/// did not run or did not work, torch's static constructor throws here and every oracle test fails loudly.
/// </summary>
public class TorchSharpLoadsTests
{
    [Fact]
    public void MatMul_ComputesKnownProduct_InFloat64()
    {
        using var a = torch.tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, dtype: torch.float64);
        using var b = torch.tensor(new double[] { 5, 6, 7, 8 }, new long[] { 2, 2 }, dtype: torch.float64);
        using var c = a.matmul(b);
        c.data<double>().ToArray().Should().Equal(19, 22, 43, 50);
    }

    [Fact]
    public void Autograd_ComputesGradientOfSquare()
    {
        using var x = torch.tensor(new double[] { 3.0 }, dtype: torch.float64, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        x.grad!.data<double>()[0].Should().Be(6.0);
    }
}
