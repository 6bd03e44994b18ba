namespace MiniNet;

/// <summary>How a loss turns per-element losses into its result. Always explicit: the two "means" differ.</summary>
public enum Reduction
{
    /// <summary>
    /// Divide the sum by the element count (batch × outputs). PyTorch: <c>reduction='mean'</c>, the default of
    /// <c>nn.BCELoss</c>, <c>nn.BCEWithLogitsLoss</c> and <c>nn.MSELoss</c>.
    /// </summary>
    Mean,

    /// <summary>The plain sum over every element. PyTorch: <c>reduction='sum'</c>.</summary>
    Sum,

    /// <summary>
    /// Sum over the outputs, divide by the batch size n (the first dimension): Nielsen's cost
    /// <c>C = -(1/n) sum_x sum_j [y ln a + (1 - y) ln(1 - a)]</c>. PyTorch: <c>reduction='sum'</c> divided by n
    /// (what <c>nn.KLDivLoss</c> calls <c>'batchmean'</c>). For a rank-0 or rank-1 input, n is the first dimension
    /// (1 for a scalar).
    /// </summary>
    BatchMean,

    /// <summary>No reduction: the per-element losses, in the input's shape. PyTorch: <c>reduction='none'</c>.</summary>
    None,
}
