using Trilobite.Onnx;

namespace Trilobite.Cli.Commands;

/// <summary>Opens a model file for the commands that only read one: a saved .trilo, or an .onnx imported on the fly.</summary>
internal static class ModelFiles
{
    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static Model Load(string path, Device? device = null)
    {
        if (!IsOnnx(path)) return Model.Load(path, device);
        var model = OnnxImporter.Load(path);
        return device == null ? model : model.To(device);
    }
}
