using System;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class DivTests : ScalarBinaryOpTests
{
    protected override string OpName => "Div";

    protected override Func<double, double>? Sample => BroadcastCases.AwayFromZero;

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Div(b);

    protected override TT Oracle(TT a, TT b) => torch.div(a, b);

    protected override Tensor<T> ApplyScalar<T>(Tensor<T> a, T b) => a.Div(b);

    protected override TT OracleScalar(TT a, double b) => a.div(b);
}
