using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>Fused optimizer updates: one pass over a weight, its gradient and its slots (Keras's formulas, decay first).</summary>
public interface IOptimizerBackend
{
    /// <summary>SGD; <paramref name="velocity"/> is none without momentum.</summary>
    void SgdUpdate(StorageView weight, StorageView gradient, StorageView velocity, in SgdParameters parameters);

    /// <summary>Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − α·m/(√v + ε), with α bias-corrected (see <see cref="AdamParameters"/>).</summary>
    void AdamUpdate(StorageView weight, StorageView gradient, StorageView m, StorageView v, in AdamParameters parameters);

    /// <summary>RMSprop; <paramref name="momentum"/> is none without momentum.</summary>
    void RmsPropUpdate(StorageView weight, StorageView gradient, StorageView meanSquare, StorageView momentum, in RmsPropParameters parameters);
}
