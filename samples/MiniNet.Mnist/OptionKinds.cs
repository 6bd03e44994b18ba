namespace MiniNet.Samples.Mnist;

/// <summary>Which cost the sample trains with.</summary>
internal enum LossKind
{
    /// <summary>Sigmoid outputs with the fused binary cross-entropy (Nielsen's cross-entropy cost).</summary>
    Bce,

    /// <summary>Softmax outputs with the fused cross-entropy (log-softmax + NLL).</summary>
    Ce,

    /// <summary>Sigmoid outputs with the quadratic cost.</summary>
    Mse,
}

/// <summary>Which data set <c>--dataset</c> names (<c>--data DIR</c> overrides where it is read from).</summary>
internal enum DatasetKind
{
    /// <summary>The full MNIST shipped in samples/data/mnist.</summary>
    Mnist,

    /// <summary>Zalando's Fashion-MNIST, from Debian's dataset-fashion-mnist (samples/data/fashion-mnist/install.sh).</summary>
    Fashion,
}

/// <summary>The weight initialisations of <c>--init</c>, by the names the chapter and PyTorch use.</summary>
internal enum InitKind
{
    /// <summary>Nielsen's chapter-3 default: weights N(0, 1/n_in), biases N(0, 1).</summary>
    Nielsen,

    /// <summary>Nielsen's chapter-1 "large" initialisation: weights and biases N(0, 1).</summary>
    Large,

    /// <summary>Glorot (Xavier) uniform weights, zero biases.</summary>
    Xavier,

    /// <summary>He (Kaiming) uniform weights for ReLU, zero biases.</summary>
    Kaiming,

    /// <summary>PyTorch's nn.Linear default, U(-1/sqrt(n_in), 1/sqrt(n_in)).</summary>
    Pytorch,
}
