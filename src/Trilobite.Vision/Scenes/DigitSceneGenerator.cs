using Trilobite.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Scenes;

/// <summary>
/// The seeded scene benchmark of the detection and segmentation work: 128×128 grey scenes holding 1–5 real MNIST digits,
/// each scaled by a factor in [0.75, 2.0], placed so that their squares do not overlap. Scene <c>i</c> of seed <c>s</c>
/// is always the same (its own random stream, so scenes can be made in any order or in parallel). Boxes are tight around
/// the ink ≥ 0.25 of each placed digit; the mask marks ink ≥ 0.5 as 1 + digit. Training scenes are made from the
/// sample's training digits and test scenes from its test digits, so no digit image is in both.
/// </summary>
public sealed class DigitSceneGenerator
{
    /// <summary>The scene side in pixels.</summary>
    public const int Size = 128;

    private const int MaxDigits = 5, Attempts = 100;
    private const double MinScale = 0.75, MaxScale = 2.0;
    private readonly LabeledImages _digits;

    /// <summary>Scenes made of <paramref name="digits"/>: 28×28×1 images with values in [0, 1] (for example <c>Mnist.LoadSample().Test</c>).</summary>
    public DigitSceneGenerator(LabeledImages digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Height != 28 || digits.Width != 28 || digits.Channels != 1 || digits.Count == 0)
            throw new ArgumentException($"Scenes are made of 28×28×1 digits, got {digits}.", nameof(digits));
        _digits = digits;
    }

    /// <summary>Scenes of the shipped MNIST sample's training digits (<paramref name="test"/> false) or its test digits.</summary>
    public static DigitSceneGenerator FromSample(bool test)
    {
        var (train, testDigits) = Mnist.LoadSample();
        return new DigitSceneGenerator(test ? testDigits : train);
    }

    /// <summary>Scene <paramref name="index"/> of the sequence <paramref name="seed"/>.</summary>
    public DigitScene Scene(int seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = new Random(RandomSeed.Derive(seed, index));
        var ink = new float[Size * Size];
        var mask = new byte[Size * Size];
        var objects = new List<SceneObject>();
        var taken = new List<(int X, int Y, int Side)>();
        int wanted = random.Next(1, MaxDigits + 1);
        for (int d = 0; d < wanted; d++)
        {
            int which = random.Next(_digits.Count);
            int side = (int)Math.Round(28 * (MinScale + random.NextDouble() * (MaxScale - MinScale)));
            int x = 0, y = 0;
            bool placed = false;
            for (int attempt = 0; attempt < Attempts && !placed; attempt++)
            {
                (x, y) = (random.Next(Size - side + 1), random.Next(Size - side + 1));
                placed = taken.All(t => x + side <= t.X || t.X + t.Side <= x || y + side <= t.Y || t.Y + t.Side <= y);
            }
            if (!placed) continue;          // a crowded scene keeps the digits it has
            taken.Add((x, y, side));
            var digit = Scaled(_digits.Image(which), side);
            int label = _digits.Labels[which];
            int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                {
                    float v = digit[r * side + c];
                    int p = (y + r) * Size + x + c;
                    ink[p] = Math.Max(ink[p], v);
                    if (v >= 0.5f) mask[p] = (byte)(1 + label);
                    if (v >= 0.25f) { left = Math.Min(left, c); right = Math.Max(right, c); top = Math.Min(top, r); bottom = Math.Max(bottom, r); }
                }
            if (right < 0) continue;        // a digit with no ink at the threshold has no box (and cannot be found)
            objects.Add(new SceneObject(label, x + left, y + top, x + right + 1, y + bottom + 1));
        }
        var pixels = new byte[Size * Size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Round(Math.Clamp(ink[i], 0f, 1f) * 255);
        return new DigitScene(Size, Size, pixels, objects, mask);
    }

    /// <summary>A 28×28 digit resampled to side × side (bilinear, half-pixel centres), values in [0, 1].</summary>
    private static float[] Scaled(ReadOnlySpan<float> digit, int side)
    {
        var bytes = new byte[28 * 28];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Round(Math.Clamp(digit[i], 0f, 1f) * 255);
        var resized = new byte[side * side];
        LinearResize.Resize(bytes, 28, 28, resized, side, side);
        return [.. resized.Select(b => b / 255f)];
    }
}
