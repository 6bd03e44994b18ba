using System;
using System.Linq;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Tensors;

public class RngTests
{
    /// <summary>
    /// The bulk Bernoulli fill is the one-draw-at-a-time rule <c>NextDouble() &lt; p</c>, bit for bit, for every length
    /// 0..200 (empty, partial and several words) and a few longer ones, several seeds and probabilities (0 and 1, a p
    /// whose threshold <c>p 2^53</c> is not an integer, one just above 0): same bits, cleared bits past the count, words
    /// past the mask untouched, and the generator left exactly where the single draws leave it.
    /// </summary>
    [Fact]
    public void FillBernoulli_EqualsElementByElementDraws_ForEveryLengthSeedAndProbability()
    {
        double[] probabilities = [0, 1, 0.25, 0.5, 1.0 / 3, 0.999, 1e-17];
        ulong[] seeds = [0, 1, 42, ulong.MaxValue];
        foreach (int count in Enumerable.Range(0, 201).Concat([1000, 4097, 589_824 / 64]))
        {
            foreach (ulong seed in seeds)
            {
                foreach (double p in probabilities)
                {
                    var single = new Rng(seed ^ (ulong)count);
                    var bulk = new Rng(seed ^ (ulong)count);
                    int words = (count + 63) / 64;
                    ulong[] expected = new ulong[words + 1], actual = new ulong[words + 1];
                    const ulong Sentinel = 0xDEADBEEFCAFEF00DUL;
                    (expected[words], actual[words]) = (Sentinel, Sentinel);
                    Array.Fill(actual, ulong.MaxValue, 0, words);
                    for (int i = 0; i < count; i++)
                    {
                        expected[i >> 6] |= (single.NextDouble() < p ? 1UL : 0UL) << (i & 63);
                    }

                    bulk.FillBernoulli(actual, count, p);
                    for (int w = 0; w <= words; w++)
                    {
                        actual[w].Should().Be(expected[w], $"word {w} of count {count}, seed {seed}, p {p}");
                    }

                    bulk.GetState().Should().Be(single.GetState(), $"count {count}, seed {seed}, p {p}: one draw per sample");
                }
            }
        }
    }

    [Fact]
    public void FillBernoulli_SetsAboutPOfTheBits()
    {
        ulong[] bits = new ulong[1000];
        new Rng(7).FillBernoulli(bits, 64_000, 0.3);
        int set = bits.Sum(w => (int)ulong.PopCount(w));
        set.Should().BeInRange(18_800, 19_600, "0.3 of 64,000 is 19,200 and one standard deviation is 116");
    }

    [Fact]
    public void FillBernoulli_Throws_OnShortMask_NegativeCount_OrBadProbability()
    {
        var rng = new Rng(1);
        FluentActions.Invoking(() => rng.FillBernoulli(new ulong[1], 65, 0.5)).Should().Throw<ArgumentException>()
            .WithMessage("*Rng.FillBernoulli*65 samples need 2 words; got 1*");
        FluentActions.Invoking(() => rng.FillBernoulli(new ulong[1], -1, 0.5)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => rng.FillBernoulli(new ulong[1], 1, double.NaN)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*Rng.FillBernoulli*[0, 1]*");
        FluentActions.Invoking(() => rng.FillBernoulli(new ulong[1], 1, 1.5)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
