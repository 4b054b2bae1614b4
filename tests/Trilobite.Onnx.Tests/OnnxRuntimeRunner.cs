using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Trilobite.Onnx.Tests;

/// <summary>Runs an ONNX model in ONNX Runtime (the independent implementation every export is checked against).</summary>
public static class OnnxRuntimeRunner
{
    /// <summary>The first output of <paramref name="model"/> fed <paramref name="input"/> as its first input, with its shape.</summary>
    public static (float[] Values, int[] Shape) Run(byte[] model, Tensor input) => Run(model, input.ToArray(), input.ShapeArray);

    public static (float[] Values, int[] Shape) Run(byte[] model, float[] data, int[] shape)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        string name = session.InputMetadata.Keys.First();
        var tensor = new DenseTensor<float>(data, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, tensor)]);
        var output = results.First().AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    }
}
