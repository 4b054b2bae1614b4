namespace Trilobite.Backends;

/// <summary>
/// Fused losses: each writes the batch mean into <c>loss</c> (one element, left on the device) and, unless
/// <c>gradient</c> is none, d(loss)/d(input) into it, so the training step never reads a loss back to the host.
/// </summary>
public interface ILossBackend
{
    /// <summary>Softmax + categorical cross-entropy on logits (N, C) against probability rows (N, C): −Σ t·log softmax(z), mean over rows.</summary>
    void SoftmaxCrossEntropy(StorageView logits, StorageView targets, int classes, StorageView gradient, StorageView loss);

    /// <summary>The same against class indices (N), stored as floats; an index outside [0, C) is an error.</summary>
    void SparseSoftmaxCrossEntropy(StorageView logits, StorageView labels, int classes, StorageView gradient, StorageView loss);

    /// <summary>Sigmoid + binary cross-entropy on logits against targets in [0, 1], stable, mean over all elements.</summary>
    void SigmoidBinaryCrossEntropy(StorageView logits, StorageView targets, StorageView gradient, StorageView loss);

    /// <summary>Mean of (prediction − target)² over all elements.</summary>
    void MeanSquaredError(StorageView predictions, StorageView targets, StorageView gradient, StorageView loss);

    /// <summary>
    /// The sigmoid focal loss per element (not averaged: detection losses weight and sum it per image) on logits against
    /// targets in [0, 1]: w·(1 − pₜ)^γ·CE with p = σ(z), pₜ = p·t + (1 − p)(1 − t), CE the binary cross-entropy and
    /// w = α·t + (1 − α)(1 − t), or 1 when α &lt; 0. Unless <paramref name="gradient"/> is none, d loss[i]/d z[i] into it.
    /// </summary>
    void SigmoidFocalLoss(StorageView logits, StorageView targets, float alpha, float gamma, StorageView loss, StorageView gradient);
}
