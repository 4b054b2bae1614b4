namespace Trilobite.Playground.Sessions;

/// <summary>
/// What the page draws after an epoch. Heat maps are grid×grid bytes, base64, row 0 at the top,
/// 0 = −1 (orange) … 255 = +1 (blue). <see cref="Boundary"/> is the output unit (probability p shown
/// as 2p − 1); <see cref="Layers"/>[0] are the input features (each scaled by its largest magnitude),
/// then one entry per hidden layer. <see cref="Weights"/>[l] is layer l's kernel, (in, out) row-major.
/// </summary>
public sealed record SessionFrame(
    int Generation,
    int Epoch,
    double TrainLoss,
    double TestLoss,
    bool Playing,
    string? Message,
    int Grid,
    string Boundary,
    int NeuronGrid,
    string[][] Layers,
    float[][] Weights,
    float[][] Biases);

/// <summary>One point of the loss curves.</summary>
public readonly record struct LossPoint(int Epoch, double Train, double Test);

/// <summary>The whole state of a session, sent when the page (re)connects or resets.</summary>
public sealed record SessionSnapshot(
    string Id,
    SessionConfig Config,
    float[][] Train,
    float[][] Test,
    SessionFrame Frame,
    LossPoint[] History,
    double TrainingSecondsUsed,
    double TrainingSecondsAllowed,
    long EstimatedBytes);

/// <summary>One Server-Sent Event: the frame, new loss points, and after a reset the new data and configuration.</summary>
public sealed record SessionUpdate(int Version, SessionFrame Frame, LossPoint[] History, SessionConfig? Config, float[][]? Train, float[][]? Test);
