using System;
using System.Threading;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using Xunit;

namespace MiniNet.Tests.Autograd;

public class TapeTests
{
    private static Tensor<double> Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values, values.Length);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void TensorUsedTwice_GetsTheSummedGradient()
    {
        var x = Leaf(1.5, -2, 3);
        (x * x).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(3, -4, 6);

        // Through two different paths: y = x * 2 + x * x  =>  dy/dx = 2 + 2x.
        var w = Leaf(0.5, 4);
        ((w * 2.0) + (w * w)).Sum().Backward();
        w.Grad!.ToArray().Should().Equal(3, 10);
    }

    [Fact]
    public void Gradients_AccumulateAcrossBackwardCalls_UntilZeroGrad()
    {
        var x = Leaf(1, 2);
        (x * 3.0).Sum().Backward();
        (x * x).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(3 + 2, 3 + 4);

        x.ZeroGrad();
        x.Grad!.ToArray().Should().Equal(0, 0);
        (x * 3.0).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(3, 3);
    }

    [Fact]
    public void NoGrad_RecordsNothing_AndNests()
    {
        Tape.Current.Clear();
        var x = Leaf(1, 2);
        using (global::MiniNet.Autograd.NoGrad())
        {
            _ = x * x;
            using (global::MiniNet.Autograd.NoGrad())
            {
                _ = x + x;
                global::MiniNet.Autograd.IsGradEnabled.Should().BeFalse();
            }

            global::MiniNet.Autograd.IsGradEnabled.Should().BeFalse("the outer scope is still open");
            Tensor<double> y = x.Sigmoid();
            y.RequiresGrad.Should().BeFalse();
            y.IsLeaf.Should().BeTrue();
            Tape.Current.Count.Should().Be(0);
        }

        global::MiniNet.Autograd.IsGradEnabled.Should().BeTrue();
        _ = x * x;
        Tape.Current.Count.Should().Be(1, "recording resumes once every scope is disposed");
        Tape.Current.Clear();
    }

    [Fact]
    public void Detach_BreaksTheGraph()
    {
        var x = Leaf(2, 3);
        Tensor<double> constant = (x * x).Detach();
        constant.IsLeaf.Should().BeTrue();
        constant.RequiresGrad.Should().BeFalse();
        (x * constant).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(new double[] { 4, 9 }, "the detached factor is a constant x^2, so d(x * c)/dx = c, not 3x^2");
    }

    [Fact]
    public void Backward_OnNonScalarWithoutGradOutput_ThrowsHelpfully()
    {
        var x = Leaf(1, 2);
        Tensor<double> y = x * 2.0;
        Action act = () => y.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*[2]*Sum()*gradOutput*");
        Tape.Current.Clear();
    }

    [Fact]
    public void Backward_WithWrongGradOutputShape_Throws()
    {
        Tensor<double> y = Leaf(1, 2) * 2.0;
        Action act = () => y.Backward(Tensor.Ones<double>(3));
        act.Should().Throw<ArgumentException>().WithMessage("*[3]*[2]*");
        Tape.Current.Clear();
    }

    [Fact]
    public void Backward_OnTensorNotRequiringGrad_Throws()
    {
        Action act = () => Tensor.Ones<double>(2).Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*does not require a gradient*");
    }

    [Fact]
    public void SecondBackward_OverFreedTape_Throws()
    {
        var x = Leaf(1, 2);
        Tensor<double> loss = (x * x).Sum();
        loss.Backward();
        Action again = () => loss.Backward();
        again.Should().Throw<InvalidOperationException>().WithMessage("*freed*retainGraph*");
        x.Grad!.ToArray().Should().Equal(2, 4);
    }

    [Fact]
    public void SecondBackward_WithRetainGraph_DoublesLeafGradients()
    {
        var x = Leaf(1, 2);
        var w = Leaf(3, -1);
        Tensor<double> loss = ((x * w).Sigmoid() + x).Sum();
        loss.Backward(retainGraph: true);
        double[] first = x.Grad!.ToArray(), firstW = w.Grad!.ToArray();
        loss.Backward();

        // Equal up to rounding: the second pass adds its terms one by one onto the first pass's sums.
        x.Grad!.ToArray().Should().BeEquivalentTo(new[] { 2 * first[0], 2 * first[1] }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, Tolerances.ClosedForm)).WhenTypeIs<double>());
        w.Grad!.ToArray().Should().BeEquivalentTo(new[] { 2 * firstW[0], 2 * firstW[1] }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, Tolerances.ClosedForm)).WhenTypeIs<double>());
        first[0].Should().NotBe(0);
        Action third = () => loss.Backward();
        third.Should().Throw<InvalidOperationException>("the second call did not retain the graph").WithMessage("*already freed*");
    }

    [Fact]
    public void Op_OnTensorWhoseTapeWasFreed_Throws()
    {
        var x = Leaf(1, 2);
        Tensor<double> hidden = x * 2.0;
        hidden.Sum().Backward();
        Action reuse = () => _ = hidden * 3.0;
        reuse.Should().Throw<InvalidOperationException>().WithMessage("*Mul*freed*");

        // Its values are still usable as a constant.
        (hidden.Detach() * x).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(2 + 2, 2 + 4);
    }

    [Fact]
    public void TensorRecordedOnAnotherThread_Throws_WhenUsedHere()
    {
        Tensor<double>? fromOtherThread = null;
        var thread = new Thread(() => fromOtherThread = Leaf(1, 2) * 2.0);
        thread.Start();
        thread.Join();
        fromOtherThread.Should().NotBeNull();
        fromOtherThread!.IsLeaf.Should().BeFalse();

        Action use = () => _ = fromOtherThread + 1.0;
        use.Should().Throw<InvalidOperationException>().WithMessage("*Add*another thread*");

        Action backward = () => fromOtherThread.Sum(0).Backward();
        backward.Should().Throw<InvalidOperationException>().WithMessage("*another thread*");

        Action backwardHere = () => fromOtherThread.Backward(Tensor.Ones<double>(2));
        backwardHere.Should().Throw<InvalidOperationException>().WithMessage("*thread*");
        fromOtherThread.Grad.Should().BeNull("a failed Backward must not leave a gradient on a non-leaf");
    }

    [Fact]
    public void DetachedTensorFromAnotherThread_IsAConstantHere()
    {
        Tensor<double>? fromOtherThread = null;
        var thread = new Thread(() => fromOtherThread = (Leaf(1, 2) * 2.0).Detach());
        thread.Start();
        thread.Join();
        var x = Leaf(5, 7);
        (x * fromOtherThread!).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(2, 4);
    }

    [Fact]
    public void InPlaceWrite_OfSavedInput_MakesBackwardThrow()
    {
        var x = Leaf(1, 2);
        var w = Leaf(3, 4);
        Tensor<double> loss = (x * w).Sum();
        w.AsSpanForWrite()[0] = 10;
        Action act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Input 1*[2]*Mul*modified in place*");
    }

    [Fact]
    public void InPlaceWrite_OfSavedOutput_MakesBackwardThrow()
    {
        var x = Leaf(1, 2);
        Tensor<double> s = x.Sigmoid();
        s.CopyFrom(new double[] { 0.5, 0.5 });
        Action act = () => s.Backward(Tensor.Ones<double>(2));
        act.Should().Throw<InvalidOperationException>().WithMessage("*output*Sigmoid*modified in place*");
    }

    [Fact]
    public void InPlaceWrite_AfterBackward_IsFine()
    {
        var x = Leaf(1, 2);
        (x * x).Sum().Backward();
        x.AsSpanForWrite()[0] = 3;
        (x * x).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(2 + 6, 4 + 4);
    }

    [Fact]
    public void RequiresGradSetter_OnNonLeaf_Throws()
    {
        Tensor<double> y = Leaf(1, 2) * 2.0;
        y.RequiresGrad.Should().BeTrue();
        Action act = () => y.RequiresGrad = false;
        act.Should().Throw<InvalidOperationException>().WithMessage("*leaf*Detach()*");
        Tape.Current.Clear();
    }

    [Fact]
    public void Backward_OnLeaf_SeedsItsOwnGradient()
    {
        var x = Tensor.Scalar(3.0);
        x.RequiresGrad = true;
        x.Backward();
        x.Grad!.Item().Should().Be(1);
    }

    [Fact]
    public void NonLeafGradients_AreReleasedAfterBackward()
    {
        var x = Leaf(1, 2);
        Tensor<double> hidden = x * 2.0;
        hidden.Sum().Backward();
        hidden.Grad.Should().BeNull();
        x.Grad.Should().NotBeNull();
    }
}
