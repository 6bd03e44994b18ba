using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// LogSoftmax along a non-last axis (the strided kernel path) and CrossEntropy's log-sum-exp, float and double, against
/// the double-double reference, with the bound of <see cref="AccuracyTests.LogSoftmax_WithinMaxUlp_ForRowsOfEveryScale"/>:
/// <see cref="AccuracyTests.MaxUlp"/>, plus <c>max_j |x_j - m|</c> ulps for a result below 1 in magnitude (the
/// dominant entry, whose condition number that is). Rows of every scale from 1e-30 to 1e4, inner sizes that run every
/// vector width's tail.
/// </summary>
public class AccuracyLogSoftmaxAxisTests
{
    private static readonly double[] Scales = { 1e-30, 1e-6, 1, 30, 1e4 };

    private readonly ITestOutputHelper _output;

    public AccuracyLogSoftmaxAxisTests(ITestOutputHelper output) => _output = output;

    /// <summary>Shape and axis: the reduced axis first, in the middle, and second-to-last with an odd inner size.</summary>
    public static TheoryData<int[], int> Layouts => new()
    {
        { new[] { 5, 199 }, 0 },
        { new[] { 3, 6, 37 }, 1 },
        { new[] { 4, 9, 3 }, -2 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void LogSoftmax_AlongANonLastAxis_WithinTheBound(int[] shape, int axis)
    {
        var failures = new List<string>();
        foreach (double scale in Scales)
        {
            double[] x = Values(shape.Aggregate(1, (a, b) => a * b), scale, seed: 7);
            (double f, bool fOk) = LogSoftmaxWorst<float>(x, shape, axis);
            (double d, bool dOk) = LogSoftmaxWorst<double>(x, shape, axis);
            _output.WriteLine($"| LogSoftmax axis {axis} of [{string.Join(", ", shape)}] | float | abs(x) <= {scale:G3} | {f:F2} |");
            _output.WriteLine($"| LogSoftmax axis {axis} of [{string.Join(", ", shape)}] | double | abs(x) <= {scale:G3} | {d:F2} |");
            if (!fOk || !dOk)
            {
                failures.Add($"scale {scale}: float {f:G4} ulp, double {d:G4} ulp");
            }
        }

        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    [InlineData(37)]
    public void CrossEntropy_PerSample_WithinTheBound_ForEveryLabel(int classes)
    {
        var failures = new List<string>();
        foreach (double scale in Scales)
        {
            const int Batch = 64;
            double[] z = Values(Batch * classes, scale, seed: 9);
            int[] labels = Enumerable.Range(0, Batch).Select(n => n % classes).ToArray();

            // Half the labels on the row's maximum: the well-classified samples, whose loss is tiny and was rounded to 0.
            for (int n = 0; n < Batch; n += 2)
            {
                labels[n] = ArgMax(z.AsSpan(n * classes, classes));
            }

            (double f, bool fOk) = CrossEntropyWorst<float>(z, classes, labels);
            (double d, bool dOk) = CrossEntropyWorst<double>(z, classes, labels);
            _output.WriteLine($"| CrossEntropy, {classes} classes | float | abs(z) <= {scale:G3} | {f:F2} |");
            _output.WriteLine($"| CrossEntropy, {classes} classes | double | abs(z) <= {scale:G3} | {d:F2} |");
            if (!fOk || !dOk)
            {
                failures.Add($"scale {scale}: float {f:G4} ulp, double {d:G4} ulp");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void CrossEntropy_OfAConfidentRightAnswer_IsTheTinyLoss_NotZero()
    {
        // z = [20, 0, 0]: loss = log(1 + 2 e^-20) = 4.122e-9; log(sum) rounded 1 + 4e-9 to 1 in float.
        double r = 2 * Math.Exp(-20), expected = r - (r * r / 2) + (r * r * r / 3); // log1p(r) by its series (r = 4e-9)
        double f = Tensor.FromArray(new float[] { 20, 0, 0 }, 1, 3).CrossEntropy(new[] { 0 }, Reduction.Sum).Item();
        double d = Tensor.FromArray(new double[] { 20, 0, 0 }, 1, 3).CrossEntropy(new[] { 0 }, Reduction.Sum).Item();
        f.Should().BeApproximately(expected, expected * 1e-6);
        d.Should().BeApproximately(expected, expected * 1e-14);
    }

    private static double[] Values(int count, double scale, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (double)(float)(scale * ((2 * random.NextDouble()) - 1))).ToArray();
    }

    private static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            best = row[j] > row[best] ? j : best;
        }

        return best;
    }

    /// <summary>The error allowed for one result: 4 ulp, plus the row's spread for a result below 1.</summary>
    private static bool Within(double error, DD reference, ReadOnlySpan<double> row)
    {
        double max = row.ToArray().Max(), spread = row.ToArray().Max(v => Math.Abs(v - max));
        return error <= AccuracyTests.MaxUlp + (Math.Abs(reference.Hi) < 1 ? spread : 0);
    }

    private static (double Worst, bool Within) LogSoftmaxWorst<T>(double[] x, int[] shape, int axis)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int a = axis < 0 ? axis + shape.Length : axis;
        int n = shape[a], inner = shape.Skip(a + 1).Aggregate(1, (p, q) => p * q), block = n * inner;
        T[] y = Tensor.FromArray(x.Select(T.CreateTruncating).ToArray(), shape).LogSoftmax(axis).ToArray();
        double worst = 0;
        bool within = true;
        var row = new double[n];
        for (int e = 0; e < x.Length; e++)
        {
            int o = e / block, k = e % block / inner, i = e % inner;
            for (int j = 0; j < n; j++)
            {
                row[j] = x[(o * block) + (j * inner) + i];
            }

            DD reference = AccuracyReference.LogSoftmax(row, k);
            double error = AccuracySweep.Ulps<T>(double.CreateTruncating(y[e]), reference);
            within &= Within(error, reference, row);
            worst = error > worst || double.IsNaN(error) ? error : worst;
        }

        return (worst, within);
    }

    private static (double Worst, bool Within) CrossEntropyWorst<T>(double[] z, int classes, int[] labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] loss = Tensor.FromArray(z.Select(T.CreateTruncating).ToArray(), labels.Length, classes).CrossEntropy(labels, Reduction.None).ToArray();
        double worst = 0;
        bool within = true;
        for (int s = 0; s < labels.Length; s++)
        {
            ReadOnlySpan<double> row = z.AsSpan(s * classes, classes);
            DD minusLogSoftmax = (DD)0 - AccuracyReference.LogSoftmax(row, labels[s]);
            double error = AccuracySweep.Ulps<T>(double.CreateTruncating(loss[s]), minusLogSoftmax);
            within &= Within(error, minusLogSoftmax, row);
            worst = error > worst || double.IsNaN(error) ? error : worst;
        }

        return (worst, within);
    }
}
