using System;
using System.IO;
using System.Numerics;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Onnx.Tests;

public class OnnxExportTests
{
    public static TheoryData<string> Activations => new() { "sigmoid", "tanh", "relu", "softmax", "logsoftmax" };

    // The activation alone sees the extreme values directly (±60, ±100, ±1e4, ±1e-30, 0); behind a Linear layer
    // they would first be summed in float32, whose rounding at 1e4 (1e-3) is not what these tests measure.
    [Theory]
    [MemberData(nameof(Activations))]
    public void EachActivation_OnExtremeInputs_MatchesOrt_Float(string activation) =>
        AssertMatchesOrt(Activation<float>(activation), Inputs<float>(9, 6, 5, extreme: true), Tolerances.Float);

    [Theory]
    [MemberData(nameof(Activations))]
    public void EachActivation_OnExtremeInputs_MatchesOrt_Double(string activation) =>
        AssertMatchesOrt(Activation<double>(activation), Inputs<double>(9, 6, 5, extreme: true), Tolerances.Double);

    [Theory]
    [MemberData(nameof(Activations))]
    public void LinearThenActivation_MatchesOrt_Float(string activation) =>
        AssertMatchesOrt(new Sequential<float>(new Linear<float>(5, 7, new Rng(1)), Activation<float>(activation)), Inputs<float>(9, 6, 5), Tolerances.Float);

    [Theory]
    [MemberData(nameof(Activations))]
    public void LinearThenActivation_MatchesOrt_Double(string activation) =>
        AssertMatchesOrt(new Sequential<double>(new Linear<double>(5, 7, new Rng(1)), Activation<double>(activation)), Inputs<double>(9, 6, 5), Tolerances.Double);

    [Fact]
    public void DeepMlp_WithAndWithoutBias_MatchesOrt_OnABatchSizeOtherThanTheSample()
    {
        var rng = new Rng(3);
        var model = new Sequential(
            new Linear(6, 16, rng), new Relu(), new Linear(16, 12, rng, bias: false), new Tanh(),
            new Linear(12, 8, rng), new Sigmoid(), new Linear(8, 4, rng), new LogSoftmax());

        // Exported with a batch of 2, run with 1 and 33: the batch dimension is symbolic.
        byte[] bytes = Onnx.ExportToBytes(model, Inputs<float>(4, 2, 6));
        foreach (int batch in new[] { 1, 33 })
        {
            Tensor<float> x = Inputs<float>((ulong)batch, batch, 6);
            var (values, shape) = OrtRunner.Run(bytes, x);
            shape.Should().Equal(batch, 4);
            OutputAssert.Close<float>(values, Forward(model, x), Tolerances.Float, $"batch {batch}");
        }
    }

    [Fact]
    public void NestedSequential_UsesDottedStateDictNames_AndMatchesOrt()
    {
        var rng = new Rng(4);
        var model = new Sequential(new Sequential(new Linear(3, 4, rng), new Relu()), new Linear(4, 2, rng));
        AssertMatchesOrt(model, Inputs<float>(5, 3, 3), Tolerances.Float);

        string encoded = System.Text.Encoding.UTF8.GetString(Onnx.ExportToBytes(model, Inputs<float>(5, 1, 3)));
        foreach (var (name, _) in model.NamedParameters())
        {
            encoded.Should().Contain(name, "initializers carry the state-dict names");
        }

        model.NamedParameters()[0].Name.Should().Be("0.0.weight");
    }

    [Fact]
    public void SingleLayer_WithoutSequential_Exports()
    {
        var model = new Linear<double>(3, 2, new Rng(5));
        AssertMatchesOrt(model, Inputs<double>(6, 4, 3), Tolerances.Double);
    }

    [Fact]
    public void Model_DeclaresIrVersion8_Opset17_AndASymbolicBatchDimension()
    {
        var model = new Sequential<double>(new Linear<double>(3, 2, new Rng(6)), new Softmax<double>());
        byte[] bytes = Onnx.ExportToBytes(model, Inputs<double>(1, 2, 3));

        bytes.AsSpan(0, 2).ToArray().Should().Equal(new byte[] { 0x08, 8 }, "field 1 (ir_version) comes first as a varint");
        using var session = new InferenceSession(bytes);
        NodeMetadata input = session.InputMetadata[Onnx.InputName];
        input.ElementDataType.Should().Be(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Double);
        input.Dimensions.Should().Equal(-1, 3);
        input.SymbolicDimensions[0].Should().Be("batch");
        NodeMetadata output = session.OutputMetadata[Onnx.OutputName];
        output.Dimensions.Should().Equal(-1, 2);
        session.ModelMetadata.ProducerName.Should().Be("MiniNet");
        OpsetOf(bytes).Should().Be(17);
    }

    [Fact]
    public void Export_WritesAFileThatOrtOpens_AndLeavesTheModuleInItsMode()
    {
        var model = new Sequential(new Linear(4, 3, new Rng(7)), new Tanh());
        string path = Path.Combine(Path.GetTempPath(), $"mininet-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            Onnx.Export(model, Inputs<float>(8, 2, 4), path);
            model.IsTraining.Should().BeTrue("export switches to eval only while it runs");
            using var session = new InferenceSession(path);
            Tensor<float> x = Inputs<float>(9, 3, 4);
            OutputAssert.Close<float>(OrtRunner.Run(session, x).Values, Forward(model, x), Tolerances.Float, "from file");
            Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*.tmp").Should().BeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UnsupportedModule_Throws_NamingPathAndType_AndLeavesTheOldFile()
    {
        var model = new Sequential(new Linear(4, 3, new Rng(8)), new Doubler());
        string path = Path.Combine(Path.GetTempPath(), $"mininet-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "previous");
        try
        {
            Action export = () => Onnx.Export(model, Inputs<float>(1, 2, 4), path);
            export.Should().Throw<NotSupportedException>().WithMessage("*'1'*Doubler*Linear*");
            File.ReadAllText(path).Should().Be("previous");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SampleWithoutBatch_Throws_NamingTheShape()
    {
        var model = new Linear(4, 3, new Rng(9));
        Action export = () => Onnx.ExportToBytes(model, Tensor.Zeros(0, 4));
        export.Should().Throw<ArgumentException>().WithMessage("*[0, 4]*");
    }

    [Fact]
    public void SampleOfTheWrongWidth_Throws_BeforeWriting()
    {
        var model = new Linear(4, 3, new Rng(9));
        Action export = () => Onnx.ExportToBytes(model, Tensor.Zeros(2, 5));
        export.Should().Throw<ArgumentException>().WithMessage("*[2, 5]*");
    }

    internal static void AssertMatchesOrt<T>(Module<T> model, Tensor<T> x, double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (values, shape) = OrtRunner.Run(Onnx.ExportToBytes(model, x), x);
        T[] expected = Forward(model, x);
        shape.Length.Should().BeGreaterThan(0);
        shape[0].Should().Be(x.Shape[0]);
        OutputAssert.Close<T>(values, expected, tolerance, model.GetType().Name);
    }

    internal static T[] Forward<T>(Module<T> model, Tensor<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool training = model.IsTraining;
        using (Autograd.NoGrad())
        {
            T[] result = model.Eval().Forward(x).ToArray();
            model.Train(training);
            return result;
        }
    }

    /// <summary>N(0, 1) inputs with large, tiny and zero values planted at every other element of the first half.</summary>
    internal static Tensor<T> Inputs<T>(ulong seed, int rows, int columns, bool extreme = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> x = Tensor.Randn<T>(new Rng(seed), rows, columns);
        Span<T> span = x.AsSpanForWrite();
        double[] special = extreme ? new[] { 60, -60, 1e-30, -1e-30, 0, 1e4, -1e4, 100, -100, 17 } : new[] { 8, -8, 1e-30, -1e-30, 0 };
        for (int i = 0; i < Math.Min(special.Length, span.Length / 2); i++)
        {
            span[i * 2] = T.CreateChecked(special[i]);
        }

        return x;
    }

    private static Module<T> Activation<T>(string name)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => name switch
        {
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            "relu" => new Relu<T>(),
            "softmax" => new Softmax<T>(),
            _ => new LogSoftmax<T>(1),
        };

    /// <summary>Reads ModelProto.opset_import (field 8) → OperatorSetIdProto.version (field 2) from the bytes.</summary>
    private static long OpsetOf(byte[] model)
    {
        int i = Array.LastIndexOf(model, (byte)0x42); // key of field 8, wire type 2, written last
        int length = model[i + 1];
        ReadOnlySpan<byte> opset = model.AsSpan(i + 2, length);
        int at = opset.IndexOf((byte)0x10); // key of field 2, varint
        return opset[at + 1];
    }

    private sealed class Doubler : Module<float>
    {
        public override Tensor<float> Forward(Tensor<float> input) => input * 2f;
    }
}
