using FluentAssertions;
using MiniNet.Data;
using MiniNet.NN;
using MiniNet.Optim;
using MiniNet.Tests.Data;
using Xunit;

namespace MiniNet.Tests.NN;

public class MnistConvergenceTests
{
    [Fact]
    public void SmallSubset_TwoEpochs_BeatsEightyFivePercent()
    {
        // 3,000 of the embedded training digits, Nielsen's [784, 30, 10] net, fused BCE, SGD eta 0.5, batch 10.
        MnistDataset data = MnistDataset.Load(MnistDatasetTests.EmbeddedDirectory());
        Tensor<float> images = data.TrainImages.Rows(0, 3000);
        byte[] labels = data.TrainLabels[..3000];
        var rng = new Rng(11);
        var network = new Sequential(new Linear(784, 30, rng, init: InitScheme.Nielsen), new Sigmoid(), new Linear(30, 10, rng, init: InitScheme.Nielsen));
        var optimizer = new Sgd(network.Parameters(), learningRate: 0.5);
        var loader = new DataLoader<float>(images, labels, classes: 10, batchSize: 10, shuffle: rng);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            foreach (Batch<float> batch in loader)
            {
                optimizer.ZeroGrad();
                network.Forward(batch.Inputs).BinaryCrossEntropyWithLogits(batch.Targets, Reduction.BatchMean).Backward();
                optimizer.Step();
            }
        }

        int[] predicted;
        using (MiniNet.Autograd.NoGrad())
        {
            predicted = Labels.ArgMax(network.Forward(data.TestImages));
        }

        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == data.TestLabels[i] ? 1 : 0;
        }

        double accuracy = (double)correct / predicted.Length;
        accuracy.Should().BeGreaterThan(0.85, $"{correct} of {predicted.Length} test digits were classified correctly");
    }
}
