using System;
using FluentAssertions;

namespace MiniNet.Tests.Infrastructure;

/// <summary>The comparison used by every oracle test; the conversions are in tests/Shared/TorchOracle.Convert.cs.</summary>
public static partial class TorchOracle
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> equals <paramref name="expected"/> element by element within
    /// <paramref name="relative"/> of <c>max(|expected_i|, RelativeFloor * max|expected|)</c>, naming the first bad index.
    /// NaN must meet NaN and infinities must match exactly.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double relative, string what)
    {
        actual.Length.Should().Be(expected.Length, $"{what}: element counts must match");
        double scale = 0;
        foreach (double e in expected)
        {
            if (double.IsFinite(e))
            {
                scale = Math.Max(scale, Math.Abs(e));
            }
        }

        double floor = Math.Max(scale * Tolerances.RelativeFloor, 1e-300);
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], e = expected[i];
            if (double.IsNaN(e) || double.IsInfinity(e))
            {
                a.Should().Be(e, $"{what}[{i}]: non-finite values must match exactly");
                continue;
            }

            double err = Math.Abs(a - e) / Math.Max(Math.Abs(e), floor);
            if (!(err <= relative))
            {
                throw new Xunit.Sdk.XunitException(
                    $"{what}[{i}]: MiniNet {a:G17} vs TorchSharp {e:G17}, relative error {err:G3} > {relative:G3}");
            }
        }
    }
}
