using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Tensors;

/// <summary>Storage sharing, strides, versions and errors of views.</summary>
public class ViewTests
{
    private static Tensor<double> Arange(params int[] shape)
    {
        int count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        return Tensor.Arange(0.0, count, 1.0).Reshape(shape);
    }

    [Fact]
    public void Rows_GradientOfSumPlusRowsSum_IsTwoOnTheRows()
    {
        // The case: the old copying Rows silently cut this gradient to 1 everywhere.
        Tensor<double> w = Tensor.Ones<double>(4, 3);
        w.RequiresGrad = true;
        (w.Sum() + w.Rows(1, 2).Sum()).Backward();
        w.Grad!.ToArray().Should().Equal(1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1);
    }

    [Fact]
    public void Views_ShareStorage_StridesAndOffsetFollowPyTorch()
    {
        Tensor<double> x = Arange(2, 3, 4);
        Tensor<double> t = x.Transpose(0, 2);
        t.SharesStorageWith(x).Should().BeTrue();
        t.Shape.ToArray().Should().Equal(4, 3, 2);
        t.Strides.ToArray().Should().Equal(1, 4, 12);
        t.IsContiguous.Should().BeFalse();
        t[3, 1, 1].Should().Be(x[1, 1, 3]);

        Tensor<double> n = x.Narrow(2, 1, 2);
        n.Offset.Should().Be(1);
        n.Strides.ToArray().Should().Equal(12, 4, 1);
        n.IsContiguous.Should().BeFalse();
        x.Narrow(0, 1, 1).IsContiguous.Should().BeTrue("a narrow of the first dimension is one unbroken run");
        x.Select(1, 2).Offset.Should().Be(8);

        Tensor<double> e = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1).Expand(3, 4);
        e.Strides.ToArray().Should().Equal(1, 0);
        e.ToArray().Should().Equal(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        x.Unsqueeze(1).IsContiguous.Should().BeTrue();
        x.Contiguous().Should().BeSameAs(x);
        t.Contiguous().IsContiguous.Should().BeTrue();
        t.Contiguous().SharesStorageWith(x).Should().BeFalse();
    }

    [Fact]
    public void ViewsOfViews_ReadTheRightElements()
    {
        Tensor<double> x = Arange(4, 5, 6);
        Tensor<double> v = x.Permute(2, 0, 1).Narrow(0, 2, 3).Select(1, 3).Transpose();
        v.Shape.ToArray().Should().Equal(5, 3);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                v[i, j].Should().Be(x[3, i, 2 + j]);
            }
        }

        v.ToArray()[4].Should().Be(x[3, 1, 3]);
    }

    [Fact]
    public void Indexers_FollowPyTorchIndexing()
    {
        Tensor<double> x = Arange(4, 5);
        x[1..3].Shape.ToArray().Should().Equal(2, 5);
        x[1..3].ToArray().Should().Equal(5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        x[.., 3].ToArray().Should().Equal(3, 8, 13, 18);
        x[^1].ToArray().Should().Equal(15, 16, 17, 18, 19);
        x[1, 2..].ToArray().Should().Equal(7, 8, 9);
        x[(Index)1, 2].Rank.Should().Be(0);
        x[(Index)1, 2].Item().Should().Be(7);
        x[-1, ..2].ToArray().Should().Equal(15, 16);
        x[..].SharesStorageWith(x).Should().BeTrue();
        x[1, 2].Should().Be(7, "all-int indices still pick one element");
    }

    [Fact]
    public void WriteThroughAView_IsSeenByTheBase_AndBumpsTheSharedVersion()
    {
        Tensor<double> x = Arange(3, 4);
        Tensor<double> row = x[(Index)1];
        int before = x.Version;
        row.AsSpanForWrite()[2] = -1;
        x[1, 2].Should().Be(-1);
        x.Version.Should().BeGreaterThan(before);
        row.Version.Should().Be(x.Version);

        Tensor<double> column = x[.., 1];
        column.CopyFrom(new double[] { 10, 20, 30 });
        x.ToArray().Should().Equal(0, 10, 2, 3, 4, 20, -1, 7, 8, 30, 10, 11);
        column.ToArray().Should().Equal(new double[] { 10, 20, 30 }, "the cached copy of a strided view is refreshed after a write");
    }

    [Fact]
    public void WriteThroughAView_ToASavedTensor_IsDetectedAtBackward()
    {
        Tensor<double> w = Tensor.Ones<double>(3, 4);
        w.RequiresGrad = true;
        Tensor<double> h = w.Mul(w.Mul(2.0));
        Tensor<double> y = h.Mul(h);
        h.Transpose()[.., 1].CopyFrom(new double[] { 5, 5, 5, 5 });
        Action act = () => y.Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Input 0 (shape [3, 4]) of Mul*modified in place*");

        Tensor<double> x = Tensor.Ones<double>(3, 4);
        x.RequiresGrad = true;
        Tensor<double> s = x.Mul(1.0);
        Tensor<double> z = s.Mul(s);
        using (var scope = s.Rows(0, 1).BeginWrite())
        {
            scope.Span[0] = 3;
        }

        Action viaRows = () => z.Sum().Backward();
        viaRows.Should().Throw<InvalidOperationException>().WithMessage("*Mul*modified in place*");
    }

    [Fact]
    public void WriteToTheBase_OfASavedView_IsDetectedAtBackward()
    {
        // The other direction: Mul saves the view (a column of a transposed view) and the write goes to its base.
        Tensor<double> w = Tensor.Ones<double>(3, 4);
        w.RequiresGrad = true;
        Tensor<double> h = w.Mul(3.0);
        Tensor<double> column = h.Transpose()[(Index)1];
        Tensor<double> y = column.Mul(column);
        h.CopyFrom(new double[12]);
        Action act = () => y.Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Mul*modified in place*");
    }

    [Fact]
    public void Throws_OnDimOutOfRange_NamingOpAndShape()
    {
        Tensor<double> x = Tensor.Zeros<double>(2, 3);
        ((Action)(() => x.Transpose(0, 2))).Should().Throw<ArgumentException>().WithMessage("*Transpose*dimension 2*[2, 3]*");
        ((Action)(() => x.Narrow(-3, 0, 1))).Should().Throw<ArgumentException>().WithMessage("*Narrow*dimension -3*[2, 3]*");
        ((Action)(() => x.Narrow(1, 2, 2))).Should().Throw<ArgumentException>().WithMessage("*Narrow*[2, 2 + 2)*size 3*[2, 3]*");
        ((Action)(() => x.Select(0, 2))).Should().Throw<ArgumentException>().WithMessage("*Select*index 2*size 2*");
        ((Action)(() => x.Unsqueeze(3))).Should().Throw<ArgumentException>().WithMessage("*Unsqueeze*dimension 3*");
        ((Action)(() => x.Permute(0, 0))).Should().Throw<ArgumentException>().WithMessage("*Permute*twice*[0, 0]*");
        ((Action)(() => x.Permute(0))).Should().Throw<ArgumentException>().WithMessage("*Permute*rank 2*");
        ((Action)(() => x.Expand(4, 3))).Should().Throw<ArgumentException>().WithMessage("*Expand*[2, 3]*[4, 3]*dimension 0*");
        ((Action)(() => _ = x[0..3])).Should().Throw<ArgumentException>().WithMessage("*0..3*dimension 0 of size 2*");
        ((Action)(() => _ = x[.., 1, 1])).Should().Throw<ArgumentException>().WithMessage("*3 indices*rank 2*");
    }

    [Fact]
    public void View_OnIncompatibleStrides_ThrowsNamingShapeAndStrides_ReshapeCopies()
    {
        Tensor<double> t = Arange(3, 4).Transpose();
        Action act = () => t.View(12);
        act.Should().Throw<ArgumentException>().WithMessage("*View*[4, 3]*strides [1, 4]*[12]*Reshape*");
        t.Reshape(12).ToArray().Should().Equal(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        t.View(2, 2, 3).Strides.ToArray().Should().Equal(new[] { 2, 1, 4 }, "splitting a dimension needs no copy");
        Arange(2, 3, 4).Narrow(2, 0, 2).View(6, 2).Strides.ToArray().Should().Equal(4, 1);
    }

    [Fact]
    public void WriteIntoAnExpandedView_Throws()
    {
        Tensor<double> e = Tensor.Zeros<double>(3, 1).Expand(3, 4);
        ((Action)(() => e.CopyFrom(new double[12]))).Should().Throw<InvalidOperationException>().WithMessage("*expanded view*[3, 4]*strides [1, 0]*");
        ((Action)(() => e.AsSpanForWrite())).Should().Throw<InvalidOperationException>().WithMessage("*non-contiguous view*[3, 4]*");
        ((Action)(() => e.BeginWrite())).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void RecycledIntermediates_KeepTheStorageOfAViewThatIsStillUsed()
    {
        Tensor<float> w = Tensor.Ones<float>(4, 3);
        w.RequiresGrad = true;
        Tensor<float> kept;
        using (MiniNet.Autograd.RecycleIntermediates())
        {
            Tensor<float> h = w.Mul(2f);
            kept = h.Transpose();
            Tensor<float> loss = h.Sum();
            loss.Backward();
            _ = Tensor.Full(5f, 4, 3); // would reuse h's array, had it gone back to the pool
        }

        kept.ToArray().Should().AllSatisfy(v => v.Should().Be(2f), "h was released, but its view still holds the storage");
    }
}
