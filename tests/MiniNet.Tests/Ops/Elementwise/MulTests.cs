using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class MulTests : ScalarBinaryOpTests
{
    protected override string OpName => "Mul";

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Mul(b);

    protected override TT Oracle(TT a, TT b) => torch.mul(a, b);

    protected override Tensor<T> ApplyScalar<T>(Tensor<T> a, T b) => a.Mul(b);

    protected override TT OracleScalar(TT a, double b) => a.mul(b);
}
