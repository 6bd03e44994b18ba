using System;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <content>The unpacked tile kernels (dot tiles, broadcast tiles) and their 2-thread split, against the naive product.</content>
public partial class GemmTests
{
    [Theory]
    [InlineData("Small")]
    [InlineData("Auto")]
    public void DotTiles_EveryRowGroupAndColumnTail_MatchNaive(string path)
    {
        // x W^T as Linear runs it: m = 1..13 and 126..128 give row groups of 1 to 6 (10 = 5 + 5, 13 = 4 + 4 + 5),
        // n = 1..5 and 10 every column tail, k = 100 and 784 the layers' depths (100 leaves a masked tail of 4 floats).
        var rng = new Rng(14);
        int[] rows = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 126, 127, 128 };
        foreach (int m in rows)
        {
            foreach (int n in new[] { 1, 2, 3, 4, 5, 10 })
            {
                CheckAllTransposes<float>(rng, m, n, 100, Enum.Parse<GemmPath>(path), 1, transposeBOnly: true);
                CheckAllTransposes<double>(rng, m, n, 100, Enum.Parse<GemmPath>(path), 1, transposeBOnly: true);
            }

            CheckAllTransposes<float>(rng, m, 100, 784, Enum.Parse<GemmPath>(path), 1, transposeBOnly: true);
        }
    }

    [Theory]
    [InlineData("Broadcast")]
    [InlineData("Auto")]
    public void BroadcastTiles_EveryRowGroupStripAndMask_MatchNaive(string path)
    {
        // Row groups of 1 to 6 (m = 1..13, 127, 128), strips of 1-4 vectors with every mask edge of float (16 lanes)
        // and double (8): n = 1, 7-10, 15-17, 31-33, 63-65 and 100 (6 x 16 + 4); k odd and even around the one-vector
        // strip's pairs (1, 2, 3, 10, 33), 100 and 128 (the small layer's depths); both transposes of A and B.
        var rng = new Rng(15);
        int[] rows = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 127, 128 };
        int[] cols = { 1, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100 };
        foreach (int m in rows)
        {
            foreach (int n in cols)
            {
                foreach (int k in new[] { 1, 2, 3, 10, 33, 100 })
                {
                    CheckAllTransposes<float>(rng, m, n, k, Enum.Parse<GemmPath>(path), 1);
                }

                CheckAllTransposes<double>(rng, m, n, 128, Enum.Parse<GemmPath>(path), 1);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepShapes_Auto_MatchNaive(int threads)
    {
        // The five products of a 784-100-10 step as Auto picks their paths (dot tiles, split up to 256 rows a thread;
        // broadcast tiles for the small layer and the weight gradients; packed), every transpose and accumulate.
        var rng = new Rng(16);
        foreach (int batch in new[] { 1, 10, 32, 128, 250, 512 })
        {
            CheckAllTransposes<float>(rng, batch, 100, 784, GemmPath.Auto, threads, transposeBOnly: true);
            CheckAllTransposes<float>(rng, batch, 10, 100, GemmPath.Auto, threads);
            CheckAllTransposes<float>(rng, 10, 100, batch, GemmPath.Auto, threads);
            CheckAllTransposes<float>(rng, batch, 100, 10, GemmPath.Auto, threads);
            CheckAllTransposes<float>(rng, 100, 784, batch, GemmPath.Auto, threads);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void DotTiles_SplitAcrossThreads_WithFewerRowsThanAGroup_MatchNaive(int m)
    {
        // x W^T with fewer rows than a 6-row group and work above two split grains (W 256 x 1024 = 2^18 elements, the
        // dot tiles' limit): GemmSplit must split by rows, here into one part, since the dot tiles take no column split.
        var rng = new Rng(17);
        CheckAllTransposes<float>(rng, m, 256, 1024, GemmPath.Auto, 2, transposeBOnly: true);
        CheckAllTransposes<double>(rng, m, 256, 1024, GemmPath.Auto, 2, transposeBOnly: true);
    }
}
