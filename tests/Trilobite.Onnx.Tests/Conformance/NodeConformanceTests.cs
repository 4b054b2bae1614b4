using Google.Protobuf;
using Onnx;
using Trilobite.Onnx.Import;
using Xunit.Abstractions;

namespace Trilobite.Onnx.Tests.Conformance;

/// <summary>
/// ONNX's backend node tests (Debian's libonnx-testdata, ONNX 1.12): every test whose ops the importer claims is imported
/// and run on its own inputs, and compared with its outputs as ONNX's runner does (rtol 1e-3, atol 1e-7). A test we cannot
/// express (an attribute, a layout) is skipped with the importer's one-line reason; a wrong number or a crash fails.
/// Inputs after the first of ops that take parameters (a Conv's W, a Reshape's shape) become initializers: Trilobite
/// models hold weights, not extra inputs.
/// </summary>
public class NodeConformanceTests(ITestOutputHelper output)
{
    private const string Root = "/usr/share/libonnx-testdata/data/node";

    private static readonly HashSet<string> ParameterOps =
        ["Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "Reshape", "Pad", "Slice", "Resize", "Upsample", "Split", "Clip", "Dropout", "Unsqueeze", "Squeeze", "Gather"];

    [Fact]
    public void Onnx_backend_node_tests_of_the_claimed_ops_pass()
    {
        if (!Directory.Exists(Root))
        {
            output.WriteLine($"{Root} is absent (Debian package libonnx-testdata): the conformance run is skipped.");
            return;
        }
        var skipped = new List<string>();
        var failed = new List<string>();
        int claimed = 0, passed = 0;
        foreach (string dir in Directory.GetDirectories(Root, "test_*").Order(StringComparer.Ordinal))
        {
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
            if (!proto.Graph.Node.All(n => NodeImport.SupportedOps.Contains(n.OpType) && n.Domain is "" or "ai.onnx")) continue;
            claimed++;
            string name = Path.GetFileName(dir);
            try
            {
                string? reason = Run(proto, Path.Combine(dir, "test_data_set_0"));
                if (reason == null) passed++;
                else skipped.Add($"{name}: {reason}");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failed.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failed.Add($"{name}: {e.Message}");
            }
        }
        output.WriteLine($"{passed} of {claimed} ONNX node tests pass");
        output.WriteLine($"skipped ({skipped.Count}):");
        foreach (var s in skipped) output.WriteLine("  " + s);
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "trilobite-onnx-conformance.txt"), [$"{passed} of {claimed} ONNX node tests pass", .. skipped, .. failed.Select(f => "FAILED " + f)]);
        Assert.True(failed.Count == 0, $"{failed.Count} node tests give wrong results or crash:\n" + string.Join("\n", failed));
        Assert.True(passed >= 71, $"only {passed} of {claimed} node tests pass");
    }

    /// <summary>Null when the test passes; the reason when the importer declines it.</summary>
    private static string? Run(ModelProto proto, string dataSet)
    {
        var inputs = proto.Graph.Input.Where(i => !proto.Graph.Initializer.Any(t => t.Name == i.Name)).ToList();
        var inputData = inputs.Select((_, i) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"input_{i}.pb")))).ToList();
        var expected = proto.Graph.Output.Select((_, i) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"output_{i}.pb")))).ToList();
        bool freeze = proto.Graph.Node.Any(n => ParameterOps.Contains(n.OpType))
            || (proto.Graph.Node.Count == 1 && proto.Graph.Node[0].OpType is "Add" or "Sub" or "Mul" or "Div" && inputData.Count == 2 && !inputData[0].Dims.SequenceEqual(inputData[1].Dims));
        var runtime = new List<TensorProto>();
        for (int i = 0; i < inputs.Count; i++)
        {
            inputData[i].Name = inputs[i].Name;
            if (freeze && i > 0)
            {
                proto.Graph.Initializer.Add(inputData[i]);
                proto.Graph.Input.Remove(inputs[i]);
            }
            else runtime.Add(inputData[i]);
        }
        if (runtime.Concat(expected).Any(t => t.DataType != (int)TensorProto.Types.DataType.Float)) return "a runtime input or output is not float32";

        (Model Model, bool[] NchwInputs, bool[] NchwOutputs) import;
        try
        {
            import = OnnxImporter.Import(proto.ToByteArray(), "model.onnx");
        }
        catch (InvalidDataException e)
        {
            return e.Message.Replace("model.onnx: ", "");
        }
        var model = import.Model;
        var tensors = runtime.Select((t, i) => ToTrilobite(t, import.NchwInputs[i])).ToList();
        for (int j = 0; j < expected.Count; j++)
        {
            var single = model.GraphOutputs.Count == 1 ? model : new Model([.. model.GraphInputs], [model.GraphOutputs[j]]);
            var y = single.Forward(tensors, training: false);
            var want = OnnxConstant.Decode(expected[j], $"output {j}");
            float[] got = import.NchwOutputs[j] ? Layout.ToNchw(y.ToArray(), y.Dim(0), y.Dim(1), y.Dim(2), y.Dim(3)) : y.ToArray();
            long[] gotDims = import.NchwOutputs[j] ? [y.Dim(0), y.Dim(3), y.Dim(1), y.Dim(2)] : [.. y.ShapeArray.Select(d => (long)d)];
            Assert.True(gotDims.SequenceEqual(want.Dims), $"output {j} has shape {OnnxConstant.ShapeText(gotDims)}, expected {OnnxConstant.ShapeText(want.Dims)}");
            float[] w = want.AsFloats();
            for (int i = 0; i < w.Length; i++)
                Assert.True(Math.Abs(got[i] - w[i]) <= 1e-7 + 1e-3 * Math.Abs(w[i]) || (float.IsNaN(got[i]) && float.IsNaN(w[i])),
                    $"output {j}[{i}] = {got[i]}, expected {w[i]}");
        }
        return null;
    }

    private static Tensor ToTrilobite(TensorProto t, bool nchw)
    {
        var c = OnnxConstant.Decode(t, t.Name);
        int[] dims = [.. c.Dims.Select(d => (int)d)];
        float[] v = c.AsFloats();
        return nchw ? Tensor.FromArray(Layout.ToNhwc(v, dims[0], dims[1], dims[2], dims[3]), dims[0], dims[2], dims[3], dims[1]) : Tensor.FromArray(v, dims);
    }
}
