namespace Trilobite.Playground.Sessions;

/// <summary>
/// The input features the network may be given: TensorFlow Playground's seven, plus the lecture's
/// polar pair r = √(x1² + x2²) and θ = atan2(x2, x1), which make the spiral easy.
/// </summary>
public static class InputFeature
{
    /// <summary>Wire names, in the order the page shows them.</summary>
    public static readonly IReadOnlyList<string> Names = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "r", "theta"];

    /// <summary>Labels as the page writes them.</summary>
    public static readonly IReadOnlyList<string> Labels = ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂", "r", "θ"];

    /// <summary>Whether <paramref name="name"/> is one of <see cref="Names"/> (case-sensitive).</summary>
    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>Feature <paramref name="name"/> at the point (<paramref name="x1"/>, <paramref name="x2"/>); θ is in radians.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static float Compute(string name, float x1, float x2) => name switch
    {
        "x1" => x1,
        "x2" => x2,
        "x1sq" => x1 * x1,
        "x2sq" => x2 * x2,
        "x1x2" => x1 * x2,
        "sinx1" => MathF.Sin(x1),
        "sinx2" => MathF.Sin(x2),
        "r" => MathF.Sqrt(x1 * x1 + x2 * x2),
        "theta" => MathF.Atan2(x2, x1),
        _ => throw new ArgumentException($"Unknown feature '{name}'. Known: {string.Join(", ", Names)}."),
    };

    /// <summary>The (N, features) input matrix for these points.</summary>
    public static Tensor Matrix(IReadOnlyList<string> features, ReadOnlySpan<ToyPoint> points)
    {
        var data = new float[points.Length * features.Count];
        for (int i = 0; i < points.Length; i++)
            for (int f = 0; f < features.Count; f++) data[i * features.Count + f] = Compute(features[f], points[i].X, points[i].Y);
        return Tensor.FromArray(data, points.Length, features.Count);
    }
}
