using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class SiluTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Silu();

    protected override TT Oracle(TT x) => torch.nn.functional.silu(x);

    // Where e^-x overflows and sigma saturates in float and in double.
    protected override double[] SpecialValues => [.. base.SpecialValues, -100, 100, -800, 800];
}
