using System;

namespace MiniNet.Samples.Mnist;

/// <summary>
/// One of Nielsen's runs (<i>Neural Networks and Deep Learning</i>, chapters 1 and 3), with the figure the book reports.
/// Every preset trains on the book's 50,000 training images (the first 50,000 of MNIST's 60,000, as his
/// <c>mnist_loader</c> splits them) with mini-batches of 10, and evaluates on the set the book names.
/// </summary>
/// <param name="Name">The <c>--preset</c> name.</param>
/// <param name="Summary">The book's call, in words.</param>
/// <param name="BookAccuracy">The accuracy the book reports, in percent.</param>
/// <param name="BookSays">What that figure is, as the book states it.</param>
/// <param name="Apply">Sets the run's options on top of the defaults.</param>
/// <param name="CompareInits">Runs twice, with the "large" and then the default initialisation, and plots both.</param>
internal sealed record Preset(string Name, string Summary, double BookAccuracy, string BookSays, Func<Options, Options> Apply, bool CompareInits = false);

/// <summary>The chapter's runs by name.</summary>
internal static class Presets
{
    /// <summary>All presets, in the book's order.</summary>
    public static readonly Preset[] All =
    {
        new(
            "ch1-quadratic-30",
            "network.py: [784, 30, 10], quadratic cost, eta 3.0, 30 epochs, N(0, 1) init, test data",
            95.42,
            "ch. 1: 95.42 % on the test data at its peak (epoch 28)",
            o => Base(o, hidden: 30, lr: 3.0) with { Loss = LossKind.Mse }),
        new(
            "ch3-cross-entropy-30",
            "network2.py: [784, 30, 10], cross-entropy, eta 0.5, 30 epochs, large_weight_initializer, test data",
            95.49,
            "ch. 3: 95.49 % on the test data",
            o => Base(o, hidden: 30, lr: 0.5)),
        new(
            "ch3-cross-entropy-100",
            "network2.py: [784, 100, 10], cross-entropy, eta 0.5, 30 epochs, large_weight_initializer, test data",
            96.82,
            "ch. 3: 96.82 % on the test data",
            o => Base(o, hidden: 100, lr: 0.5)),
        new(
            "ch3-l2-30",
            "network2.py: [784, 30, 10], cross-entropy, eta 0.5, lmbda 5.0, 30 epochs, large_weight_initializer, test data",
            96.49,
            "ch. 3 (regularization): 96.49 % on the test data",
            o => Base(o, hidden: 30, lr: 0.5) with { Lambda = 5.0 }),
        new(
            "ch3-l2-100",
            "network2.py: [784, 100, 10], cross-entropy, eta 0.5, lmbda 5.0, 30 epochs, large_weight_initializer, validation data",
            97.92,
            "ch. 3 (regularization): 97.92 % on the validation data",
            o => Base(o, hidden: 100, lr: 0.5) with { Lambda = 5.0, Validation = true, TrainSize = null }),
        new(
            "ch3-init-compare",
            "network2.py: [784, 30, 10], cross-entropy, eta 0.1, lmbda 5.0, 30 epochs, old (large) vs new init, validation data",
            96.0,
            "ch. 3 (weight initialization): both end \"somewhat over 96 %\" on the validation data; the new init gets there much faster",
            o => Base(o, hidden: 30, lr: 0.1) with { Lambda = 5.0, Validation = true, TrainSize = null },
            CompareInits: true),
    };

    /// <summary>The preset called <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">No preset has that name; the message lists them.</exception>
    public static Preset Find(string name)
    {
        foreach (Preset preset in All)
        {
            if (string.Equals(preset.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return preset;
            }
        }

        throw new FormatException($"--preset must be one of {string.Join('|', Array.ConvertAll(All, p => p.Name))}, got '{name}'");
    }

    /// <summary>The settings the chapter's runs share: 30 epochs, batch 10, N(0, 1) init, SGD, trained on 50,000 images.</summary>
    private static Options Base(Options o, int hidden, double lr) => o with
    {
        Hidden = hidden,
        LearningRate = lr,
        Epochs = 30,
        BatchSize = 10,
        Loss = LossKind.Bce,
        Optimizer = OptimizerKind.Sgd,
        Init = InitKind.Large,
        TrainSize = 50000,
    };
}
