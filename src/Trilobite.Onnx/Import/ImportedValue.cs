using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

/// <summary>How an ONNX value's axes relate to the Trilobite tensor that carries it.</summary>
internal enum ValueLayout
{
    /// <summary>Same order (a flat value, or an NHWC graph input before its Transpose).</summary>
    Keras,

    /// <summary>An ONNX (N, C, H, W) map carried by an NHWC tensor: what every ONNX Conv and pool produces.</summary>
    Nchw,

    /// <summary>(N, C·H·W): an NCHW map flattened in (c, h, w) order, carried by Keras's (h, w, c) Flatten. A following Gemm or MatMul permutes its weight rows.</summary>
    FlattenedChw,
}

/// <summary>A value of the graph being imported: a runtime tensor (with its layout) or a constant.</summary>
internal abstract record ImportedValue;

/// <summary>
/// A tensor computed by the model. <see cref="MapShape"/> is the (H, W, C) it was flattened from (for <see cref="ValueLayout.FlattenedChw"/>).
/// </summary>
internal sealed record RuntimeValue(SymbolicTensor Tensor, ValueLayout Layout, int[]? MapShape = null) : ImportedValue
{
    /// <summary>The ONNX rank (with the batch axis).</summary>
    public int Rank => Tensor.Shape.Length + 1;
}

/// <summary>A value known at import time.</summary>
internal sealed record ConstantImport(OnnxConstant Value) : ImportedValue;
