using System;
using System.Numerics;
using Microsoft.ML.OnnxRuntime;

namespace MiniNet.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime on a MiniNet tensor and returns the output's values and shape.</summary>
internal static class OrtRunner
{
    public static (T[] Values, long[] Shape) Run<T>(byte[] model, Tensor<T> input)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var session = new InferenceSession(model);
        return Run(session, input);
    }

    public static (T[] Values, long[] Shape) Run<T>(InferenceSession session, Tensor<T> input)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long[] shape = Array.ConvertAll(input.Shape.ToArray(), d => (long)d);
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input.ToArray(), shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { Onnx.InputName }, new[] { value }, new[] { Onnx.OutputName });
        OrtValue output = outputs[0];
        return (output.GetTensorDataAsSpan<T>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }
}
