using Trilobite.Backends;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// A scalar loss computed by a fused backend kernel that also writes d(loss)/d(prediction) during the forward pass;
/// the value stays on the device. Backward scales the stored gradient by the incoming scalar gradient (read on the
/// device). Used for softmax cross-entropy (dense and sparse), sigmoid binary cross-entropy and MSE.
/// </summary>
public sealed class LossOp : Op
{
    private readonly Tensor _gradient;
    private readonly string _name;

    private LossOp(string name, Tensor prediction, Tensor gradient) : base([prediction]) => (_name, _gradient) = (name, gradient);

    /// <summary>The loss's name ("SoftmaxCrossEntropy", "MeanSquaredError", …).</summary>
    public override string Name => _name;

    /// <summary>Softmax + categorical cross-entropy on logits (N, C) against probability targets (N, C).</summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets) => Run("SoftmaxCrossEntropy", logits, targets, sparse: false,
        (b, z, t, g, loss) => b.SoftmaxCrossEntropy(z.Data, t.Data, z.Dim(-1), g, loss));

    /// <summary>Softmax + cross-entropy on logits (N, C) against class indices (N), stored as floats.</summary>
    public static Tensor SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels) => Run("SparseSoftmaxCrossEntropy", logits, labels, sparse: true,
        (b, z, l, g, loss) => b.SparseSoftmaxCrossEntropy(z.Data, l.Data, z.Dim(-1), g, loss));

    /// <summary>Sigmoid + binary cross-entropy on logits against targets in [0, 1] of the same shape.</summary>
    public static Tensor SigmoidBinaryCrossEntropy(Tensor logits, Tensor targets) => Run("SigmoidBinaryCrossEntropy", logits, targets, sparse: false,
        (b, z, t, g, loss) => b.SigmoidBinaryCrossEntropy(z.Data, t.Data, g, loss));

    /// <summary>Mean squared error between predictions and targets of the same shape.</summary>
    public static Tensor MeanSquaredError(Tensor predictions, Tensor targets) => Run("MeanSquaredError", predictions, targets, sparse: false,
        (b, p, t, g, loss) => b.MeanSquaredError(p.Data, t.Data, g, loss));

    private delegate void LossKernel(IBackend backend, Tensor prediction, Tensor targets, StorageView gradient, StorageView loss);

    /// <summary>Checks that there is one target per prediction (one label per row when <paramref name="sparse"/>), runs the kernel, records the op.</summary>
    private static Tensor Run(string name, Tensor prediction, Tensor targets, bool sparse, LossKernel kernel)
    {
        int expected = sparse ? prediction.Length / Math.Max(1, prediction.Dim(-1)) : prediction.Length;
        if (targets.Length != expected)
            throw new ArgumentException($"{name}: predictions of shape {ShapeText.Of(prediction.Shape)} and targets of shape {ShapeText.Of(targets.Shape)} do not match.");
        var backend = Backend(name, prediction, targets);
        bool record = ShouldRecord(prediction);
        var gradient = record ? Tensor.Create(prediction.ShapeArray, prediction.Device, clear: false) : null;
        var loss = Tensor.Create([], prediction.Device, clear: false);
        kernel(backend, prediction, targets, gradient?.Data ?? default, loss.Data);
        return record ? Attach(loss, new LossOp(name, prediction, gradient!)) : loss;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dLoss)
    {
        var dx = GradOf(Inputs[0]);
        dLoss.Backend.MultiplyAdd(_gradient.Data, dLoss.Data, dx, dx);
    }
}
