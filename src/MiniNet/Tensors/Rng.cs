using System;
using System.Runtime.CompilerServices;

namespace MiniNet;

/// <summary>
/// A small, seedable, reproducible pseudo-random generator (xoshiro256** seeded through SplitMix64).
/// </summary>
/// <remarks>
/// PyTorch: <c>torch.Generator</c>. The same seed gives the same stream on every machine and .NET version,
/// which <see cref="Random"/> does not promise. Its state can be saved and restored for checkpoints.
/// Not thread-safe: give each thread its own generator.
/// </remarks>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator from a seed.</summary>
    /// <param name="seed">Any value; equal seeds give equal streams.</param>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns the next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64() => Next(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>
    /// Draws <paramref name="count"/> Bernoulli samples into a bit mask, 64 to a word: bit <c>i % 64</c> of
    /// <c>bits[i / 64]</c> is set with probability <paramref name="probability"/>, exactly when the <c>i</c>-th of
    /// <paramref name="count"/> successive <see cref="NextDouble"/> calls would return less than it. Bits past
    /// <paramref name="count"/> in the last word are cleared; words after it are untouched.
    /// </summary>
    /// <param name="bits">The mask, at least <c>ceil(count / 64)</c> words.</param>
    /// <param name="count">The number of samples; one draw each, so the generator ends where those calls would leave it.</param>
    /// <param name="probability">The probability of a set bit, in <c>[0, 1]</c>.</param>
    /// <remarks>
    /// PyTorch: <c>torch.bernoulli(torch.full((count,), probability), generator=g)</c>, packed as bits. The same stream
    /// as the one-draw-at-a-time calls (checkpoints and dropout masks rely on it), several times faster because the
    /// state stays in registers for the whole fill.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="probability"/> is outside <c>[0, 1]</c> or NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="bits"/> has fewer than <c>ceil(count / 64)</c> words.</exception>
    public void FillBernoulli(Span<ulong> bits, int count, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Rng.FillBernoulli: the probability must be in [0, 1].");
        }

        int words = (int)(((long)count + 63) / 64);
        if (bits.Length < words)
        {
            throw new ArgumentException($"Rng.FillBernoulli: {count} samples need {words} words; got {bits.Length}.", nameof(bits));
        }

        // (u >> 11) 2^-53 < p  <=>  (u >> 11) < ceil(p 2^53): the integer test NextDouble's value is made from. Both sides
        // are at most 2^53, so the difference wraps to a value with its top bit set exactly when the sample is below.
        // That top bit is shifted in from the left, so after the word's draws sample j sits at bit j (a partial last word
        // is shifted down the rest of the way): no per-sample variable shift.
        ulong threshold = (ulong)Math.Ceiling(probability * (1UL << 53));
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (int w = 0; w < words; w++)
        {
            int inWord = Math.Min(64, count - (w * 64));
            ulong word = 0;
            for (int j = 0; j < inWord; j++)
            {
                word = (word >> 1) | (((Next(ref s0, ref s1, ref s2, ref s3) >> 11) - threshold) & (1UL << 63));
            }

            bits[w] = inWord == 64 ? word : word >> (64 - inWord);
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    // One xoshiro256** step. Taking the state by reference lets FillBernoulli run it on locals (registers) while
    // NextUInt64 runs it on the fields: one definition of the generator for both.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Next(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Returns a uniform double in <c>[0, 1)</c> with 53 random bits.</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform integer in <c>[0, maxExclusive)</c>, without modulo bias.</summary>
    /// <param name="maxExclusive">The exclusive upper bound; must be positive.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            if ((ulong)m >= threshold)
            {
                return (int)(m >> 64);
            }
        }
    }

    /// <summary>Returns a standard normal sample N(0, 1) (Box–Muller; the second value is kept for the next call).</summary>
    /// <returns>The value.</returns>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareGaussian = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    /// <typeparam name="TItem">The element type.</typeparam>
    /// <param name="items">The items.</param>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Captures the full generator state, for checkpoints.</summary>
    /// <returns>An opaque state that <see cref="SetState"/> accepts.</returns>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _hasSpare, _spareGaussian);

    /// <summary>Restores a state captured by <see cref="GetState"/>.</summary>
    /// <param name="state">The state.</param>
    /// <exception cref="ArgumentException">The state is all zeros, which xoshiro cannot leave.</exception>
    public void SetState(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("An all-zero generator state is invalid.", nameof(state));
        }

        (_s0, _s1, _s2, _s3, _hasSpare, _spareGaussian) = (state.S0, state.S1, state.S2, state.S3, state.HasSpareGaussian, state.SpareGaussian);
    }
}

/// <summary>The complete state of an <see cref="Rng"/>.</summary>
/// <param name="S0">State word 0.</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="HasSpareGaussian">Whether a cached Box–Muller sample is pending.</param>
/// <param name="SpareGaussian">The cached sample.</param>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareGaussian, double SpareGaussian);
