using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void Zeros_Ones_Full_HaveShapeAndValues()
    {
        Tensor<double> z = Tensor.Zeros<double>(2, 3);
        z.Shape.ToArray().Should().Equal(2, 3);
        z.ToArray().Should().Equal(0, 0, 0, 0, 0, 0);
        Tensor.Ones(4).ToArray().Should().Equal(1f, 1f, 1f, 1f);
        Tensor.Full(2.5, 1, 2).ToArray().Should().Equal(2.5, 2.5);
        Tensor.Zeros<float>().Rank.Should().Be(0);
        Tensor.Zeros<float>().Count.Should().Be(1);
        Tensor.Zeros<float>(0, 4).Count.Should().Be(0);
        z.RequiresGrad.Should().BeFalse();
        z.IsLeaf.Should().BeTrue();
        z.Grad.Should().BeNull();
    }

    [Fact]
    public void Factories_Throw_OnNegativeSize()
    {
        Action act = () => Tensor.Zeros<double>(2, -1);
        act.Should().Throw<ArgumentException>().WithMessage("*[2, -1]*");
    }

    [Fact]
    public void Arange_CountsUpAndDown()
    {
        Tensor.Arange(4).ToArray().Should().Equal(0f, 1f, 2f, 3f);
        Tensor.Arange(1.0, 2.0, 0.25).ToArray().Should().Equal(1, 1.25, 1.5, 1.75);
        Tensor.Arange(3.0, 0.0, -1.0).ToArray().Should().Equal(3, 2, 1);
        Tensor.Arange(0.0, 0.0, 1.0).Count.Should().Be(0);
        Tensor.Arange(0.0, 1.0, 0.1).Count.Should().Be(10, "like torch.arange(0, 1, 0.1)");
        Action zeroStep = () => Tensor.Arange(0.0, 1.0, 0.0);
        zeroStep.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Arange_OfFloat_TakesDoubleLiterals_RoundedToFloatFirst()
    {
        float[] values = Tensor.Arange<float>(0, 1, 0.1).ToArray();
        values.Should().HaveCount(10, "like torch.arange(0, 1, 0.1, dtype=torch.float32)");
        values.Should().Equal(Tensor.Arange(0f, 1f, 0.1f).ToArray());
        values[3].Should().Be(3 * 0.1f, "the step is rounded to float before it is multiplied");
        Action zeroStep = () => Tensor.Arange<float>(0, 1, 1e-300);
        zeroStep.Should().Throw<ArgumentException>("1e-300 rounds to a zero float step");
    }

    [Fact]
    public void FromArray_CopiesValues_AndChecksCount()
    {
        double[] values = { 1, 2, 3, 4, 5, 6 };
        Tensor<double> t = Tensor.FromArray(values, 2, 3);
        values[0] = 100;
        t[0, 0].Should().Be(1, "FromArray copies");
        t[1, 2].Should().Be(6);
        Tensor.FromArray(new float[] { 1, 2 }).Shape.ToArray().Should().Equal(2);
        Tensor.FromArray(new double[] { 7 }, Shape.Scalar).Item().Should().Be(7);

        Action act = () => Tensor.FromArray(new double[] { 1, 2, 3 }, 2, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*3 values*[2, 2]*4*");
    }

    [Fact]
    public void Rand_And_Randn_AreReproducible_WithTheSameSeed()
    {
        Tensor.Rand<double>(new Rng(11), 5, 4).ToArray().Should().Equal(Tensor.Rand<double>(new Rng(11), 5, 4).ToArray());
        Tensor.Randn(new Rng(11), 50).ToArray().Should().Equal(Tensor.Randn(new Rng(11), 50).ToArray());
    }

    [Fact]
    public void Rand_And_Randn_Differ_WithDifferentSeeds()
    {
        Tensor.Rand<double>(new Rng(1), 20).ToArray().Should().NotEqual(Tensor.Rand<double>(new Rng(2), 20).ToArray());
        Tensor.Randn<double>(new Rng(1), 20).ToArray().Should().NotEqual(Tensor.Randn<double>(new Rng(2), 20).ToArray());
    }

    [Fact]
    public void Rand_IsInUnitInterval_Randn_IsRoughlyStandard()
    {
        Tensor.Rand<double>(new Rng(3), 1000).ToArray().Should().OnlyContain(v => v >= 0 && v < 1);
        double[] n = Tensor.Randn<double>(new Rng(3), 20000).ToArray();
        double mean = 0, sq = 0;
        foreach (double v in n)
        {
            mean += v;
            sq += v * v;
        }

        mean /= n.Length;
        (sq / n.Length).Should().BeInRange(0.95, 1.05, "the variance of N(0, 1) is 1 (20000 samples: standard error ~0.01)");
        mean.Should().BeInRange(-0.03, 0.03, "standard error of the mean is ~0.007");
    }

    [Fact]
    public void Rows_IsAViewOfASliceOfTheFirstDimension()
    {
        Tensor<double> t = Tensor.Arange(0.0, 12.0, 1.0).Reshape(4, 3);
        Tensor<double> rows = t.Rows(1, 2);
        rows.Shape.ToArray().Should().Equal(2, 3);
        rows.ToArray().Should().Equal(3, 4, 5, 6, 7, 8);
        rows.IsLeaf.Should().BeTrue();
        t.Rows(4, 0).Shape.ToArray().Should().Equal(0, 3);
        t.Rows(0, 4).ToArray().Should().Equal(t.ToArray());
        rows.IsContiguous.Should().BeTrue();
        rows.AsSpanForWrite()[0] = -1;
        t[1, 0].Should().Be(-1, "Rows is a view sharing t's storage");
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 0)]
    [InlineData(0, -1)]
    public void Rows_Throws_WhenOutOfRange(int start, int count)
    {
        Tensor<double> t = Tensor.Zeros<double>(4, 3);
        Action act = () => t.Rows(start, count);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[4, 3]*");
    }

    [Fact]
    public void Rows_Throws_OnScalar()
    {
        Action act = () => Tensor.Scalar(1.0).Rows(0, 1);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Item_ReturnsTheOnlyElement_AndThrowsOtherwise()
    {
        Tensor.Scalar(4.5).Item().Should().Be(4.5);
        Tensor.Full(2f, 1, 1).Item().Should().Be(2f);
        Action many = () => Tensor.Zeros<double>(2).Item();
        many.Should().Throw<InvalidOperationException>().WithMessage("*[2]*2 elements*");
        Action none = () => Tensor.Zeros<double>(0).Item();
        none.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Indexer_ReadsRowMajor_AndValidates()
    {
        Tensor<double> t = Tensor.Arange(0.0, 24.0, 1.0).Reshape(2, 3, 4);
        t[0, 0, 0].Should().Be(0);
        t[1, 2, 3].Should().Be(23);
        t[1, 0, 2].Should().Be(14);
        Tensor.Scalar(9.0)[Array.Empty<int>()].Should().Be(9);

        Action wrongCount = () => _ = t[1, 2];
        wrongCount.Should().Throw<ArgumentException>().WithMessage("*3 indexes*[2, 3, 4]*2*");
        Action outOfRange = () => _ = t[0, 3, 0];
        outOfRange.Should().Throw<ArgumentException>().WithMessage("*3*dimension 1*");
        Action negative = () => _ = t[-1, 0, 0];
        negative.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void AsSpanForWrite_BumpsVersion_ReadOnlyDoesNot()
    {
        Tensor<double> t = Tensor.Zeros<double>(3);
        int v0 = t.Version;
        _ = t.AsReadOnlySpan();
        _ = t.ToArray();
        t.Version.Should().Be(v0);
        t.AsSpanForWrite()[1] = 5;
        t.Version.Should().BeGreaterThan(v0);
        t[1].Should().Be(5);
    }

    [Fact]
    public void CopyFrom_ChecksLength()
    {
        Tensor<float> t = Tensor.Zeros<float>(2);
        t.CopyFrom(new float[] { 1, 2 });
        t.ToArray().Should().Equal(1f, 2f);
        Action act = () => t.CopyFrom(new float[] { 1, 2, 3 });
        act.Should().Throw<ArgumentException>().WithMessage("*3 values*[2]*");
    }

    [Fact]
    public void Detach_CopiesValues_WithoutGrad()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, 2);
        x.RequiresGrad = true;
        Tensor<double> d = x.Detach();
        d.RequiresGrad.Should().BeFalse();
        d.ToArray().Should().Equal(1, 2);
        d.AsSpanForWrite()[0] = 9;
        x[0].Should().Be(1);
    }
}
