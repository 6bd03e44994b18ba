using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class AddTests : ScalarBinaryOpTests
{
    protected override string OpName => "Add";

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Add(b);

    protected override TT Oracle(TT a, TT b) => torch.add(a, b);

    protected override Tensor<T> ApplyScalar<T>(Tensor<T> a, T b) => a.Add(b);

    protected override TT OracleScalar(TT a, double b) => a.add(b);
}
