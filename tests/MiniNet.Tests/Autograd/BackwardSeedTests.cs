using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Autograd;

/// <summary>
/// <c>Backward(gradOutput)</c> on a non-leaf root reads gradOutput's own array as the seed when nothing the walk writes
/// can share it (Tensor.TryBorrowSeed): the caller's tensor must come out unchanged and out of the pool, and a
/// gradOutput the walk does write (a leaf's Grad) must still be copied first.
/// </summary>
public class BackwardSeedTests
{
    // Above Tensor.PooledLength, so an op output after Backward rents from the thread's pool: a seed wrongly given back
    // there would be overwritten by it.
    private const int Length = 5000;

    private static Tensor<double> Random(int seed, bool requiresGrad = false)
    {
        var t = Tensor.Randn<double>(new Rng((ulong)seed), Length);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    [Fact]
    public void LentSeed_IsNeitherWrittenNorPooled_AndGivesTheGradient()
    {
        Tensor<double> x = Random(1, requiresGrad: true), c = Random(2), g = Random(3);
        double[] before = g.ToArray(), expected = (c * g).ToArray();

        x.Mul(c).Backward(g);
        using (MiniNet.Autograd.NoGrad())
        {
            for (int i = 0; i < 3; i++)
            {
                _ = c * 5.0; // reuses any array of this length the walk gave back to the pool
            }
        }

        g.ToArray().Should().Equal(before, "the seed is only read and never goes back to the pool");
        x.Grad!.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void RootHook_ChangesTheGradient_NotTheCallersTensor()
    {
        Tensor<double> x = Random(4, requiresGrad: true), g = Random(5);
        double[] before = g.ToArray();
        Tensor<double> y = x * 3.0;
        y.RegisterHook(grad => grad * 2.0);

        y.Backward(g);

        g.ToArray().Should().Equal(before);
        x.Grad!.ToArray().Should().Equal(Array.ConvertAll(before, v => v * 2.0 * 3.0));
    }

    [Fact]
    public void LeafGradAsGradOutput_IsCopied_BeforeTheWalkAccumulatesIntoIt()
    {
        // y = W x, [n, n] x [n, 1]; y.Backward(x.Grad) adds W^T g into the very array g lives in. TryBorrowSeed refuses
        // a leaf's Grad, so the seed is a copy; this checks the result (today's MatMul rule happens to be alias-safe here).
        const int n = 64;
        Tensor<double> w = Tensor.Randn<double>(new Rng(6), n, n), x = Tensor.Randn<double>(new Rng(7), n, 1);
        x.RequiresGrad = true;
        w.MatMul(x).Sum().Backward(); // x.Grad = W^T 1
        double[] g = x.Grad!.ToArray();
        double[] expected = new double[n];
        double[] wv = w.ToArray();
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += wv[(i * n) + j] * g[i];
            }

            expected[j] = g[j] + sum;
        }

        w.MatMul(x).Backward(x.Grad);

        double[] actual = x.Grad!.ToArray();
        for (int j = 0; j < n; j++)
        {
            actual[j].Should().BeApproximately(expected[j], 1e-12 * (1 + Math.Abs(expected[j])), "element {0}", j); // one GEMM's rounding
        }
    }
}
