namespace Trilobite.Playground.Digits;

/// <summary>
/// A drawing: <see cref="Width"/>×<see cref="Height"/> grey levels (0 = black … 255 = white),
/// row-major, base64. Either polarity works: a light background is inverted (see DigitImage).
/// </summary>
public sealed record DrawingRequest(int Width, int Height, string? Pixels, int? TargetClass = null)
{
    /// <summary>The largest width or height accepted, in pixels (the smallest is 8).</summary>
    public const int MaxSide = 512;

    /// <summary>The pixels as grey floats in [0, 1]; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public float[] Decode()
    {
        if (Width < 8 || Height < 8 || Width > MaxSide || Height > MaxSide)
            throw new ArgumentException($"width and height must be in [8, {MaxSide}], got {Width}×{Height}.");
        if (string.IsNullOrEmpty(Pixels)) throw new ArgumentException("pixels is missing: send width×height grey bytes in base64.");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(Pixels); }
        catch (FormatException) { throw new ArgumentException("pixels is not valid base64."); }
        if (bytes.Length != Width * Height)
            throw new ArgumentException($"pixels holds {bytes.Length} bytes, but a {Width}×{Height} drawing needs {Width * Height}.");
        if (TargetClass is < 0 or > 9) throw new ArgumentException($"targetClass must be a digit 0–9, got {TargetClass}.");
        return bytes.Select(b => b / 255f).ToArray();
    }
}

/// <summary>The classifier's answer: ten probabilities, classes from most to least likely, and the 28×28 input it saw.</summary>
public sealed record DigitPrediction(float[] Probabilities, int[] Ranking, float[] Input);

/// <summary>One convolutional layer's output: one base64 map of Height×Width bytes per channel (0 … channel maximum).</summary>
public sealed record FeatureMaps(string Layer, int Height, int Width, int Channels, string[] Maps);

/// <summary>
/// What the network sees: the first layer's filters (each scaled to [−1, 1], size×size row-major),
/// every convolution's activation maps, and the Grad-CAM heat map (28×28 in [0, 1]) for class
/// <see cref="CamClass"/> at layer <see cref="CamLayer"/>.
/// </summary>
public sealed record DigitInsight(DigitPrediction Prediction, int FilterSize, float[][] Filters, FeatureMaps[] Activations,
    int CamClass, string CamLayer, float[] Cam);

/// <summary>Where the classifier stands: "loading", "training", "ready" or "failed", with a message for the page.</summary>
public sealed record DigitStatus(string State, double Progress, string Message, double? TestAccuracy);
