using System.Numerics.Tensors;
using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// A scalar loss computed by a fused kernel that also writes d(loss)/d(prediction) during the
/// forward pass; backward only scales that stored gradient by the incoming scalar gradient.
/// Used for softmax cross-entropy (dense and sparse), sigmoid binary cross-entropy and MSE.
/// </summary>
public sealed class LossOp : Op
{
    private readonly Tensor _gradient;

    private LossOp(Tensor prediction, Tensor gradient) : base([prediction]) => _gradient = gradient;

    /// <summary>Softmax + categorical cross-entropy on logits (N, C) against probability targets (N, C).</summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets) => Run(logits, targets,
        (z, t, g) => LossKernels.SoftmaxCrossEntropy(z.Span, t.Span, z.Dim(-1), g));

    /// <summary>Softmax + cross-entropy on logits (N, C) against class indices (N).</summary>
    public static Tensor SparseSoftmaxCrossEntropy(Tensor logits, int[] labels)
    {
        if (labels.Length * logits.Dim(-1) != logits.Length)
            throw new ArgumentException($"Sparse cross-entropy got {labels.Length} labels for logits of shape {ShapeText.Of(logits.Shape)}.");
        return Run(logits, null, (z, _, g) => LossKernels.SparseSoftmaxCrossEntropy(z.Span, labels, z.Dim(-1), g));
    }

    /// <summary>Sigmoid + binary cross-entropy on logits against targets in [0, 1] of the same shape.</summary>
    public static Tensor SigmoidBinaryCrossEntropy(Tensor logits, Tensor targets) => Run(logits, targets,
        (z, t, g) => LossKernels.SigmoidBinaryCrossEntropy(z.Span, t.Span, g));

    /// <summary>Mean squared error between predictions and targets of the same shape.</summary>
    public static Tensor MeanSquaredError(Tensor predictions, Tensor targets) => Run(predictions, targets,
        (p, t, g) => LossKernels.MeanSquaredError(p.Span, t.Span, g));

    private delegate float LossKernel(Tensor prediction, Tensor targets, Span<float> gradient);

    private static Tensor Run(Tensor prediction, Tensor? targets, LossKernel kernel)
    {
        if (targets != null && targets.Length != prediction.Length)
            throw new ArgumentException($"Loss: predictions of shape {ShapeText.Of(prediction.Shape)} and targets of shape {ShapeText.Of(targets.Shape)} differ.");
        bool record = ShouldRecord(prediction);
        var gradient = record ? Tensor.Create(prediction.ShapeArray, clear: false) : null;
        float value = kernel(prediction, targets!, gradient == null ? default : gradient.Span);
        var loss = Tensor.Create([], clear: false);
        loss.Span[0] = value;
        return record ? Attach(loss, new LossOp(prediction, gradient!)) : loss;
    }

    protected internal override void Backward(Tensor dLoss)
    {
        Span<float> dx = GradOf(Inputs[0]);
        TensorPrimitives.MultiplyAdd(_gradient.Span, dLoss.Span[0], dx, dx);
    }
}
