using System;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Tensors;

public class DisposeTests
{
    private const int Large = 1 << 16;

    [Fact]
    public void DisposedOutput_IsReused_ByTheNextOpOfThatSize()
    {
        var a = Tensor.Full(1f, Large);
        var b = Tensor.Full(2f, Large);
        object first;
        using (Tensor<float> c = a + b)
        {
            first = c.StorageIdentity;
        }

        using Tensor<float> d = a * b;
        d.StorageIdentity.Should().BeSameAs(first, "the disposed output's array went back to the pool");
        d.ToArray().Should().OnlyContain(v => v == 2f, "a reused array is fully overwritten");
    }

    [Fact]
    public void ZeroedOutput_FromAReusedArray_IsZero()
    {
        var a = Tensor.Full(3.0, Large);
        (a * 2.0).Dispose();
        Tensor<double> zeros = Tensor.Zeros<double>(Large);
        zeros.ToArray().Should().OnlyContain(v => v == 0, "Zeros must not see the stale values of a pooled array");
    }

    [Fact]
    public void Loop_WithUsing_AllocatesNoArrays()
    {
        var a = Tensor.Randn<float>(new Rng(1), 1 << 18);
        var b = Tensor.Randn<float>(new Rng(2), 1 << 18);
        long before = 0;
        using (MiniNet.Autograd.NoGrad())
        {
            // The first pass fills the pool with one array per live output; from then on every output reuses one.
            for (int i = 0; i < 101; i++)
            {
                if (i == 1)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                using Tensor<float> c = a + b;
                using Tensor<float> s = c.Sigmoid();
            }

            long perIteration = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
            perIteration.Should().BeLessThan(1024, "two 1 MB outputs per iteration come from the pool, only the tensor objects are new");
        }
    }

    [Fact]
    public void ReadingADisposedTensor_Throws_SayingDisposed_AndDisposeIsIdempotent()
    {
        var t = Tensor.Ones<float>(3, 4);
        t.Dispose();
        t.Dispose();
        t.IsDisposed.Should().BeTrue();
        t.Shape.ToArray().Should().Equal(3, 4);
        Action read = () => t.ToArray();
        read.Should().Throw<InvalidOperationException>().WithMessage("*[3, 4] tensor was disposed*");
    }

    [Fact]
    public void DisposingTheBase_KeepsAViewsStorage_UntilTheViewIsDisposedToo()
    {
        var rng = new Rng(3);
        Tensor<float> x = Tensor.Randn<float>(rng, 64, 128) * 1f;
        float[] expected = x.ToArray()[128..256];
        Tensor<float> row = x.Select(0, 1);
        x.Dispose();
        using (Tensor<float> other = Tensor.Full(7f, 64, 128))
        {
            row.ToArray().Should().Equal(expected, "the view still holds the storage; it was not handed to the next tensor");
        }

        object storage = row.StorageIdentity;
        row.Dispose();
        using Tensor<float> next = Tensor.Full(5f, 64, 128);
        next.StorageIdentity.Should().BeSameAs(storage, "with the base and its only view disposed, the storage is back in the pool");
    }

    [Fact]
    public void DisposingATensorABackwardReads_MakesBackwardThrow_InsteadOfReadingRecycledMemory()
    {
        var x = Tensor.Randn<double>(new Rng(4), 8, 1024);
        x.RequiresGrad = true;
        Tensor<double> y = x.Exp(); // Exp's backward reads its output y
        Tensor<double> loss = y.Sum();
        y.Dispose();
        Action backward = () => loss.Backward();
        backward.Should().Throw<InvalidOperationException>().WithMessage("*disposed*");
    }
}
