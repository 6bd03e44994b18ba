using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.NN;

public class ModuleSummaryTests
{
    [Fact]
    public void MnistMlp_ListsEachLayer_WithOutputShapeAndParameterCount()
    {
        var rng = new Rng(1);
        var model = new Sequential(new Linear(784, 100, rng), new Sigmoid(), new Linear(100, 10, rng));

        ModuleSummary summary = model.Summary(1, 784);

        summary.Rows.Select(r => (r.Name, r.Type, r.Depth, r.OutputShape?.ToString(), r.Parameters)).Should().Equal(
            ("Sequential", "Sequential", 0, "[1, 10]", 79_510L),
            ("0", "Linear", 1, "[1, 100]", 784L * 100 + 100),
            ("1", "Sigmoid", 1, "[1, 100]", 0L),
            ("2", "Linear", 1, "[1, 10]", 100L * 10 + 10));
        summary.TotalParameters.Should().Be(79_510);
        summary.TrainableParameters.Should().Be(79_510);
        summary.InputShape.Should().Be(new Shape(1, 784));
    }

    [Fact]
    public void ToString_IsATableWithIndentedLayers_AndTotals()
    {
        var rng = new Rng(2);
        var model = new Sequential(new Linear(784, 100, rng), new Sigmoid(), new Linear(100, 10, rng));

        string[] lines = model.Summary(32, 784).ToString().Split(Environment.NewLine);

        lines[0].Should().MatchRegex(@"^Layer \(type\)\s+Output shape\s+Param #$");
        lines[2].Should().MatchRegex(@"^Sequential\s+\[32, 10\]\s+79,510$");
        lines[3].Should().MatchRegex(@"^  0 \(Linear\)\s+\[32, 100\]\s+78,500$");
        lines[4].Should().MatchRegex(@"^  1 \(Sigmoid\)\s+\[32, 100\]\s+0$");
        lines.Should().Contain("Total params: 79,510").And.Contain("Trainable params: 79,510").And.Contain("Non-trainable params: 0");
        lines.Select(l => l.Length).Distinct().Should().HaveCountGreaterThan(1, "lines are not padded to one width");
    }

    [Fact]
    public void NestedSequential_UsesDottedPaths_AndTracesInnerShapes()
    {
        var rng = new Rng(3);
        var model = new Sequential<double>(new Sequential<double>(new Linear<double>(4, 3, rng), new Tanh<double>()), new Linear<double>(3, 2, rng, bias: false));

        ModuleSummary summary = model.Summary(5, 4);

        summary.Rows.Select(r => (r.Name, r.Depth, r.OutputShape?.ToString(), r.Parameters)).Should().Equal(
            ("Sequential`1", 0, "[5, 2]", 21L),
            ("0", 1, "[5, 3]", 15L),
            ("0.0", 2, "[5, 3]", 15L),
            ("0.1", 2, "[5, 3]", 0L),
            ("1", 1, "[5, 2]", 6L));
    }

    [Fact]
    public void CustomContainer_ShowsItsOwnOutput_AndItsChildrenUntraced()
    {
        var model = new Sequential(new Residual(new Rng(4)), new Relu());

        ModuleSummary summary = model.Summary(2, 3);

        summary.Rows.Select(r => (r.Name, r.OutputShape?.ToString(), r.Parameters)).Should().Equal(
            ("Sequential", "[2, 3]", 12L),
            ("0", "[2, 3]", 12L),
            ("0.inner", null, 12L),
            ("1", "[2, 3]", 0L));
        summary.ToString().Should().Contain("0.inner (Linear)").And.Contain("--");
    }

    [Fact]
    public void FrozenParameters_CountAsNonTrainable()
    {
        var rng = new Rng(5);
        var first = new Linear(3, 4, rng);
        var model = new Sequential(first, new Linear(4, 1, rng));
        first.Weight.RequiresGrad = false;

        ModuleSummary summary = model.Summary(1, 3);

        summary.TotalParameters.Should().Be(16 + 5);
        summary.TrainableParameters.Should().Be(16 + 5 - 12);
        summary.ToString().Should().Contain("Non-trainable params: 12");
    }

    [Fact]
    public void Summary_RestoresEachModulesMode_AndRecordsNothing()
    {
        var rng = new Rng(6);
        var inner = new Sequential(new Linear(3, 3, rng));
        var model = new Sequential(inner, new Linear(3, 2, rng));
        inner.Eval();

        model.Summary(1, 3);

        model.IsTraining.Should().BeTrue();
        inner.IsTraining.Should().BeFalse("a module's own mode comes back, not its parent's");
        model.Parameters().Should().OnlyContain(p => p.Grad == null);
    }

    [Fact]
    public void InputThatDoesNotFit_Throws_NamingTheLayerAndShapes()
    {
        var model = new Sequential(new Linear(784, 10, new Rng(7)));
        Action summary = () => model.Summary(1, 100);
        summary.Should().Throw<ArgumentException>().WithMessage("*Linear*[1, 100]*");
    }

    [Fact]
    public void Readme_ShowsThisSummary()
    {
        var rng = new Rng(1);
        string summary = new Sequential(new Linear(784, 100, rng), new Sigmoid(), new Linear(100, 10, rng)).Summary(1, 784).ToString();
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "..", "README.md"));
        readme.ReplaceLineEndings("\n").Should().Contain("```text\n" + summary.ReplaceLineEndings("\n") + "\n```", "README.md shows the MNIST network's summary");
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private sealed class Residual : Module<float>
    {
        private readonly Linear _inner;

        public Residual(Rng rng) => _inner = RegisterModule("inner", new Linear(3, 3, rng));

        public override Tensor<float> Forward(Tensor<float> input) => input + _inner.Forward(input);
    }
}
