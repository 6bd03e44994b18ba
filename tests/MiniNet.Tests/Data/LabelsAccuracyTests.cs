using System;
using FluentAssertions;
using MiniNet.Data;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Data;

public class LabelsAccuracyTests
{
    [Fact]
    public void CountCorrectAndAccuracy_MatchTorchArgMax()
    {
        Tensor<float> scores = Tensor.Randn<float>(new Rng(9), 50, 10);
        var rng = new Rng(10);
        var labels = new byte[50];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)rng.NextInt(10);
        }

        // Make a few rows right for sure.
        float[] values = scores.ToArray();
        for (int i = 0; i < 10; i++)
        {
            values[(i * 10) + labels[i]] = 100;
        }

        scores = Tensor.FromArray(values, 50, 10);
        using var scope = torch.NewDisposeScope();
        long[] predicted = torch.tensor(values, new long[] { 50, 10 }).argmax(1).data<long>().ToArray();
        int expected = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            expected += predicted[i] == labels[i] ? 1 : 0;
        }

        Labels.CountCorrect(scores, labels).Should().Be(expected);
        Labels.Accuracy(scores, labels).Should().Be(expected / 50.0);
        Labels.Accuracy(scores, Labels.ToInt32(labels)).Should().Be(expected / 50.0);
        scores.ArgMax(1).ToArray().Should().Equal(Array.ConvertAll(predicted, p => (float)p), "Ops.ArgMax agrees with the helper's argmax on finite scores");

        // The PyTorch-shaped spelling gives the same accuracy: (scores.argmax(1) == labels).float().mean().
        Tensor<float> labelTensor = Tensor.FromArray(Array.ConvertAll(labels, l => (float)l), 50);
        ((double)scores.ArgMax(1).Eq(labelTensor).Mean().Item()).Should().BeApproximately(expected / 50.0, 1e-7);
    }

    [Fact]
    public void NaNScores_WinAsInTorchArgMax_AndAsOpsArgMax()
    {
        float nan = float.NaN;
        float[] values =
        {
            1, nan, 3, 2,     // NaN beats 3
            nan, 5, nan, 0,   // the first NaN
            -1, 4, 4, nan,    // a NaN after the tied maxima still wins
            0, 2, 7, 1,       // no NaN: the plain maximum
        };
        var scores = Tensor.FromArray(values, 4, 4);
        using var scope = torch.NewDisposeScope();
        long[] predicted = torch.tensor(values, new long[] { 4, 4 }).argmax(1).data<long>().ToArray();
        predicted.Should().Equal(1, 0, 3, 2);

        Labels.ArgMax(scores).Should().Equal(Array.ConvertAll(predicted, p => (int)p));
        scores.ArgMax(1).ToArray().Should().Equal(Array.ConvertAll(predicted, p => (float)p));
        Labels.CountCorrect(scores, new[] { 1, 1, 3, 2 }).Should().Be(3, "rows 0, 2 and 3 predict their NaN or maximum");
    }

    [Fact]
    public void Throws_OnLabelCountMismatch()
    {
        FluentActions.Invoking(() => Labels.Accuracy(Tensor.Zeros<float>(3, 2), new byte[2])).Should().Throw<ArgumentException>().WithMessage("CountCorrect needs*[3, 2] and 2 labels*");
    }
}
