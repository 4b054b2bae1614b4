namespace Trilobite.Backends;

/// <summary>Batch normalisation over the last (channel) axis of x viewed as (rows, C), and row-wise softmax.</summary>
public interface INormalizationBackend
{
    /// <summary>
    /// Training forward with the batch's mean and biased variance: y = γ·(x − μ)·s + β, s = 1/√(σ² + ε); writes μ and s
    /// (kept for backward) and updates the moving statistics as m ← m·momentum + batch·(1 − momentum) (Keras's rule).
    /// With <paramref name="relu"/>, y = max(that, 0): a following ReLU fused in.
    /// </summary>
    void BatchNormTraining(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon, float momentum,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView mean, StorageView inverseStd, bool relu);

    /// <summary>Inference forward with the moving statistics (then max(y, 0) with <paramref name="relu"/>); writes s = 1/√(moving variance + ε) for backward.</summary>
    void BatchNormInference(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView inverseStd, bool relu);

    /// <summary>
    /// Training backward: dγ += Σ dy·x̂, dβ += Σ dy, dx += γs/m·(m·dy − Σdy − x̂·Σdy·x̂); any gradient may be none. With a
    /// fused ReLU's output <paramref name="reluOutput"/> (not none), dy is that ReLU's output gradient, counted where the output is positive.
    /// </summary>
    void BatchNormBackward(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta, StorageView reluOutput);

    /// <summary>Backward with fixed statistics (inference mode, a frozen layer): dγ += Σ dy·x̂, dβ += Σ dy, dx += γ·s·dy; <paramref name="reluOutput"/> as above.</summary>
    void BatchNormBackwardInference(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta, StorageView reluOutput);

    /// <summary>y[r, :] = softmax(x[r, :]) for rows of <paramref name="width"/>, stable (the row maximum subtracted first).</summary>
    void Softmax(StorageView x, int width, StorageView y);

    /// <summary>y[r, :] = x[r, :] − max − log Σ exp(x[r, :] − max).</summary>
    void LogSoftmax(StorageView x, int width, StorageView y);

    /// <summary>dx[r, i] += y[r, i]·(dy[r, i] − Σⱼ dy[r, j]·y[r, j]).</summary>
    void SoftmaxBackward(StorageView y, StorageView dy, int width, StorageView dx);

    /// <summary>dx[r, i] += dy[r, i] − exp(y[r, i])·Σⱼ dy[r, j].</summary>
    void LogSoftmaxBackward(StorageView y, StorageView dy, int width, StorageView dx);

    /// <summary>y[o, :, i] = softmax(x[o, :, i]) over the middle axis of x viewed as (outer, axis, inner), stable.</summary>
    void SoftmaxAxis(StorageView x, int outer, int axis, int inner, StorageView y);

    /// <summary>dx[o, a, i] += y[o, a, i]·(dy[o, a, i] − Σ_b dy[o, b, i]·y[o, b, i]).</summary>
    void SoftmaxAxisBackward(StorageView y, StorageView dy, int outer, int axis, int inner, StorageView dx);

    /// <summary>The capsules' squash along the middle axis: y = ‖x‖²/(1 + ‖x‖²)·x/‖x‖, and y = 0 at x = 0.</summary>
    void Squash(StorageView x, int outer, int axis, int inner, StorageView y);

    /// <summary>dx += J·dy with J the squash's Jacobian (symmetric), J = 0 at x = 0.</summary>
    void SquashBackward(StorageView x, StorageView dy, int outer, int axis, int inner, StorageView dx);

    /// <summary>y[o, i] = ‖x[o, :, i]‖, the Euclidean length along the middle axis.</summary>
    void VectorNorm(StorageView x, int outer, int axis, int inner, StorageView y);

    /// <summary>dx[o, a, i] += dy[o, i]·x[o, a, i]/y[o, i], and nothing where y = 0.</summary>
    void VectorNormBackward(StorageView x, StorageView y, StorageView dy, int outer, int axis, int inner, StorageView dx);
}
