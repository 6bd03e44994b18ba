namespace MiniNet.Samples;

/// <summary>Which optimizer a sample trains with (MiniNet's class; the PyTorch one it is compared with in MiniNet.Validation).</summary>
internal enum OptimizerKind
{
    /// <summary>Plain mini-batch stochastic gradient descent (<c>torch.optim.SGD</c>, no momentum).</summary>
    Sgd,

    /// <summary>Adam (<c>torch.optim.Adam</c>, default betas and eps).</summary>
    Adam,

    /// <summary>Adadelta (<c>torch.optim.Adadelta</c>, default rho and eps), as PyTorch's examples/mnist trains its CNN.</summary>
    Adadelta,
}

/// <summary>Which network a sample builds.</summary>
internal enum ModelKind
{
    /// <summary>Nielsen's [784, hidden, 10] sigmoid network.</summary>
    Mlp,

    /// <summary>PyTorch's examples/mnist convnet (two 3x3 convolutions, max-pool, dropout, two linear layers).</summary>
    Cnn,
}
