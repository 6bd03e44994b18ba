using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class SubTests : BinaryOpTests
{
    protected override string OpName => "Sub";

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Sub(b);

    protected override TT Oracle(TT a, TT b) => torch.sub(a, b);
}
