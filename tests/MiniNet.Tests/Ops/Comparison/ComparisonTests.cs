using System;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ComparisonTests
{
    public static TheoryData<int[], int[]> Pairs => BroadcastCases.Pairs;

    private static readonly string[] AllNames = ["Eq", "Ne", "Lt", "Le", "Gt", "Ge"];

    public static TheoryData<string> Names => new(AllNames);

    // Values from a small set, so that ties (where Eq/Le/Ge differ from Lt/Gt) happen often.
    private static readonly double[] Values = [-1, 0, 0.5, 1, double.NaN, double.PositiveInfinity];

    private static Tensor<T> Mini<T>(string name, Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => name switch
        {
            "Eq" => a.Eq(b), "Ne" => a.Ne(b), "Lt" => a.Lt(b), "Le" => a.Le(b), "Gt" => a.Gt(b), _ => a.Ge(b),
        };

    private static Tensor<T> MiniScalar<T>(string name, Tensor<T> a, T b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => name switch
        {
            "Eq" => a.Eq(b), "Ne" => a.Ne(b), "Lt" => a.Lt(b), "Le" => a.Le(b), "Gt" => a.Gt(b), _ => a.Ge(b),
        };

    private static TT Oracle(string name, TT a, TT b) => name switch
    {
        "Eq" => torch.eq(a, b), "Ne" => torch.ne(a, b), "Lt" => torch.lt(a, b), "Le" => torch.le(a, b), "Gt" => torch.gt(a, b), _ => torch.ge(a, b),
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void AllSix_MatchTorch_WithBroadcasting(int[] left, int[] right)
    {
        foreach (string name in AllNames)
        {
            Check<double>(name, left, right);
            Check<float>(name, left, right);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AgainstAScalar_MatchesTorch(string name)
    {
        var rng = new Rng(5);
        double[] values = Enumerable.Range(0, 24).Select(_ => Values[rng.NextInt(Values.Length)]).ToArray();
        var a = Tensor.FromArray(values, 4, 6);
        using var scope = torch.NewDisposeScope();
        TT ta = torch.tensor(values, dtype: torch.float64).reshape(4, 6);
        foreach (double c in new[] { 0.5, 0, double.NaN })
        {
            Tensor<double> mask = MiniScalar(name, a, c);
            mask.Shape.ToArray().Should().Equal(4, 6);
            mask.ToArray().Should().Equal(TorchOracle.Values(Oracle(name, ta, torch.tensor(c, dtype: torch.float64)).to(torch.float64)), $"{name} against {c}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OnNonContiguousViews_MatchTorch(string name)
    {
        OnViews<double>(name);
        OnViews<float>(name);
    }

    private static void OnViews<T>(string name)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // A transposed, a narrowed and an expanded [3, 4] view, compared pairwise and with a scalar.
        var rng = new Rng(11);
        Tensor<T> a = Draw<T>(rng, [4, 3]), b = Draw<T>(rng, [3, 7]), c = Draw<T>(rng, [1, 4]);
        Tensor<T> transposed = a.Transpose(), narrowed = b.Narrow(1, 2, 4), expanded = c.Expand(3, 4);
        using var scope = torch.NewDisposeScope();
        TT ta = TorchOracle.ToTorch(a).t(), tb = TorchOracle.ToTorch(b).narrow(1, 2, 4), tc = TorchOracle.ToTorch(c).expand(3, 4);
        foreach ((Tensor<T> mask, TT expected, string what) in new[]
        {
            (Mini(name, transposed, narrowed), Oracle(name, ta, tb), "transposed vs narrowed"),
            (Mini(name, narrowed, expanded), Oracle(name, tb, tc), "narrowed vs expanded"),
            (Mini(name, expanded, transposed), Oracle(name, tc, ta), "expanded vs transposed"),
            (MiniScalar(name, transposed, T.CreateChecked(0.5)), Oracle(name, ta, torch.tensor(0.5)), "transposed vs 0.5"),
        })
        {
            mask.Shape.ToArray().Should().Equal(3, 4);
            mask.ToArray().Select(double.CreateChecked).Should().Equal(TorchOracle.Values(expected.to(torch.float64)), $"{name}, {what} ({typeof(T).Name})");
        }
    }

    [Fact]
    public void DoubleLiterals_FitFloatTensors_RoundedToFloatAsTorchDoes()
    {
        // 0.1 is not a float: PyTorch compares a float32 tensor with float32(0.1), so 0.1f equals it and 0.1 (double) does not.
        var x = Tensor.FromArray([0.1f, 0.2f, -1f], 3);
        x.Eq(0.1).ToArray().Should().Equal(1f, 0f, 0f);
        x.Ne(0.1).ToArray().Should().Equal(0f, 1f, 1f);
        x.Lt(0.15).ToArray().Should().Equal(1f, 0f, 1f);
        x.Le(0.1).ToArray().Should().Equal(1f, 0f, 1f);
        x.Gt(0.1).ToArray().Should().Equal(0f, 1f, 0f);
        x.Ge(0.2).ToArray().Should().Equal(0f, 1f, 0f);
        x.Gt(0).ToArray().Should().Equal(1f, 1f, 0f);
        using var scope = torch.NewDisposeScope();
        TorchOracle.Values(torch.eq(torch.tensor(new[] { 0.1f, 0.2f, -1f }), 0.1).to(torch.float64)).Should().Equal(1, 0, 0);

        var d = Tensor.FromArray([0.1, 0.2], 2);
        d.Eq(0.1).ToArray().Should().Equal(1, 0);
        d.Eq(0.1f).ToArray().Should().Equal(new double[] { 0, 0 }, "a float constant widened to double is not 0.1");
    }

    [Fact]
    public void Masks_AreNeverRecorded_EvenWhenTheInputRequiresGrad()
    {
        var x = Tensor.FromArray([1.0, -2], 2);
        x.RequiresGrad = true;
        int before = Tape.Current.Count;
        Tensor<double> mask = x.Gt(0.0);
        mask.RequiresGrad.Should().BeFalse("a comparison has no gradient");
        (Tape.Current.Count - before).Should().Be(0);
        mask.ToArray().Should().Equal(1, 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Throws_OnShapeMismatch_NamingOpAndBothShapes(string name)
    {
        Action act = () => Mini(name, Tensor.Zeros<double>(4, 3), Tensor.Zeros<double>(2));
        act.Should().Throw<ArgumentException>().WithMessage($"*{name}*[4, 3]*[2]*");
    }

    private static void Check<T>(string name, int[] left, int[] right)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(3);
        Tensor<T> a = Draw<T>(rng, left), b = Draw<T>(rng, right);
        Tensor<T> mask = Mini(name, a, b);
        using var scope = torch.NewDisposeScope();
        TT expected = Oracle(name, TorchOracle.ToTorch(a), TorchOracle.ToTorch(b)).to(torch.float64);
        mask.Shape.ToArray().Should().Equal(TorchOracle.ShapeOf(expected), $"{name} shape");
        mask.ToArray().Select(double.CreateChecked).Should().Equal(TorchOracle.Values(expected), $"{name} of {a.Shape} and {b.Shape} ({typeof(T).Name})");
    }

    private static Tensor<T> Draw<T>(Rng rng, int[] shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = shape.Aggregate(1, (p, d) => p * d);
        T[] values = Enumerable.Range(0, count).Select(_ => T.CreateChecked(Values[rng.NextInt(Values.Length)])).ToArray();
        return Tensor.FromArray(values, shape);
    }
}
