using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops;

/// <summary>Var, Std and Norm at tiny and huge scales, where squares underflow or overflow in float32.</summary>
public class ScaleTests
{
    [Theory]
    [InlineData(1e-30)]
    [InlineData(1e-20)]
    [InlineData(1e20)]
    [InlineData(1e30)]
    [InlineData(1e150)]
    [InlineData(1e-150)]
    public void Double_MatchesTorch(double scale)
    {
        OpCheck<double>.AgainstTorch([[3, 4]], xs => xs[0].Norm(2, [1]), ts => torch.linalg.vector_norm(ts[0], 2, new long[] { 1 }, false), sample: v => v * scale, gradCheck: false);
        OpCheck<double>.AgainstTorch([[3, 4]], xs => xs[0].Norm(3, [1]), ts => torch.linalg.vector_norm(ts[0], 3, new long[] { 1 }, false), sample: v => v * scale, gradCheck: false);
        OpCheck<double>.AgainstTorch([[3, 4]], xs => xs[0].Var(1), ts => ts[0].var(1), sample: v => v * scale, gradCheck: false);
        OpCheck<double>.AgainstTorch([[3, 4]], xs => xs[0].Std(1), ts => ts[0].std(1), sample: v => v * scale, gradCheck: false);
    }

    [Theory]
    [InlineData(1e-30)]
    [InlineData(1e-20)]
    [InlineData(1e20)]
    [InlineData(1e30)]
    public void Float_MatchesTorch(double scale)
    {
        OpCheck<float>.AgainstTorch([[3, 4]], xs => xs[0].Norm(2, [1]), ts => torch.linalg.vector_norm(ts[0], 2, new long[] { 1 }, false), sample: v => v * scale);
        if (scale < 1e10)
        {
            // Above, |x|^3 overflows float: PyTorch's gradient x |x| g / norm^2 is then inf/inf = NaN, MiniNet's
            // sign(x) (|x| / norm)^2 g stays finite (0 once the norm itself is inf), so only the forward is compared there.
            OpCheck<float>.AgainstTorch([[3, 4]], xs => xs[0].Norm(3, [1]), ts => torch.linalg.vector_norm(ts[0], 3, new long[] { 1 }, false), sample: v => v * scale);
        }
        else
        {
            Tensor<float> x = Tensor.FromArray(System.Array.ConvertAll(Tensor.Randn<double>(new Rng(42), 3, 4).ToArray(), v => (float)(v * scale)), 3, 4);
            using var scope = torch.NewDisposeScope();
            TorchOracle.AssertClose(
                System.Array.ConvertAll(x.Norm(3, [1]).ToArray(), v => (double)v),
                TorchOracle.Values(torch.linalg.vector_norm(TorchOracle.ToTorch(x), 3, new long[] { 1 }, false)),
                Tolerances.TorchFloat,
                "3-norm forward at a huge scale (float)");
        }
        OpCheck<float>.AgainstTorch([[3, 4]], xs => xs[0].Std(1), ts => ts[0].std(1), sample: v => v * scale);
        OpCheck<float>.AgainstTorch([[3, 4]], xs => xs[0].Var(1), ts => ts[0].var(1), sample: v => v * scale);
    }
}
