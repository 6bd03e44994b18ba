using System;
using System.Globalization;
using System.Numerics;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// Both BCE losses reject targets outside [0, 1] (and NaN), and <c>BinaryCrossEntropy</c> rejects such
/// probabilities, as PyTorch's <c>binary_cross_entropy</c> does: an <see cref="ArgumentOutOfRangeException"/> naming the
/// element's index and value, for every reduction, at positions in the vector body and in the tail.
/// </summary>
public class BceRangeTests
{
    private const int Count = 37; // two 16-float vectors and a 5-element tail; 4 double vectors of 8 and a tail of 5

    public static TheoryData<double, int, Reduction> Cases()
    {
        var data = new TheoryData<double, int, Reduction>();
        foreach (double bad in new[] { -0.25, 1.5, double.NaN, double.PositiveInfinity, -1e-30 })
        {
            foreach (int index in new[] { 0, 17, Count - 1 })
            {
                foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None, Reduction.BatchMean })
                {
                    data.Add(bad, index, reduction);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithLogits_TargetOutsideUnitInterval_Throws_NamingIndexAndValue(double bad, int index, Reduction reduction)
    {
        Check<float>();
        Check<double>();

        void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            (Tensor<T> z, Tensor<T> y) = Inputs<T>();
            y.KernelWriteSpan[index] = T.CreateTruncating(bad);
            FluentActions.Invoking(() => z.BinaryCrossEntropyWithLogits(y, reduction))
                .Should().Throw<ArgumentOutOfRangeException>()
                .Where(e => e.ParamName == "targets")
                .WithMessage($"BinaryCrossEntropyWithLogits: targets[{index}] = {Format(T.CreateTruncating(bad))} is outside [0, 1]*");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Probabilities_ProbabilityOrTargetOutsideUnitInterval_Throws_NamingIndexAndValue(double bad, int index, Reduction reduction)
    {
        Check<float>();
        Check<double>();

        void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            (Tensor<T> p, Tensor<T> y) = Inputs<T>();
            p = p.Sigmoid();
            Tensor<T> badP = Tensor.FromArray(p.AsReadOnlySpan(), p.Shape), badY = Tensor.FromArray(y.AsReadOnlySpan(), y.Shape);
            badP.KernelWriteSpan[index] = T.CreateTruncating(bad);
            badY.KernelWriteSpan[index] = T.CreateTruncating(bad);
            string value = Format(T.CreateTruncating(bad));
            FluentActions.Invoking(() => badP.BinaryCrossEntropy(y, reduction))
                .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "probabilities")
                .WithMessage($"BinaryCrossEntropy: probabilities[{index}] = {value} is outside [0, 1]*");
            FluentActions.Invoking(() => p.BinaryCrossEntropy(badY, reduction))
                .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "targets")
                .WithMessage($"BinaryCrossEntropy: targets[{index}] = {value} is outside [0, 1]*");
        }
    }

    [Fact]
    public void Boundaries_ZeroOneAndNegativeZero_AreAccepted_AndNaNLogitsGiveNaN()
    {
        var p = Tensor.FromArray(new[] { 0.0, 1.0, -0.0, 0.5 });
        var y = Tensor.FromArray(new[] { 1.0, 0.0, -0.0, 1.0 });
        double.IsFinite(p.BinaryCrossEntropy(y).Item()).Should().BeTrue("the logarithms are clamped at -100, as in PyTorch");
        p.BinaryCrossEntropyWithLogits(y).Item().Should().BeGreaterThan(0);

        // A NaN logit is not a range error (PyTorch propagates it), in the summed and the per-element form.
        var z = Tensor.FromArray(new[] { double.NaN, 1.0, 2.0 });
        var t = Tensor.FromArray(new[] { 0.5, 0.5, 0.5 });
        double.IsNaN(z.BinaryCrossEntropyWithLogits(t).Item()).Should().BeTrue();
        double.IsNaN(z.BinaryCrossEntropyWithLogits(t, Reduction.None).AsReadOnlySpan()[0]).Should().BeTrue();
    }

    private static string Format<T>(T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => value.ToString("R", CultureInfo.InvariantCulture);

    private static (Tensor<T> Z, Tensor<T> Y) Inputs<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(5);
        return (Tensor.Randn<T>(rng, 1, Count), Tensor.Rand<T>(rng, 1, Count));
    }
}
