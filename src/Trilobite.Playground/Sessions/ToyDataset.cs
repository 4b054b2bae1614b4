namespace Trilobite.Playground.Sessions;

/// <summary>The four datasets of TensorFlow Playground.</summary>
public enum ToyDatasetKind
{
    /// <summary>Blue points in a disc of radius 2.5, orange ones in the ring 3.5–5 around it.</summary>
    Circle,
    /// <summary>Points in the four quadrants; blue where x·y ≥ 0.</summary>
    Xor,
    /// <summary>Two Gaussian clusters: blue at (2, 2), orange at (−2, −2).</summary>
    Gaussians,
    /// <summary>Two interleaved spiral arms, blue and orange.</summary>
    Spiral,
}

/// <summary>One labelled point in the plane; <see cref="Label"/> is 1 (blue) or 0 (orange).</summary>
public readonly record struct ToyPoint(float X, float Y, float Label);

/// <summary>
/// Generates the playground's 2-D datasets exactly as TensorFlow Playground does (dataset.ts), from a
/// seed: 500 points in [−6, 6]², noise in [0, 0.5], shuffled and split into train and test.
/// </summary>
public static class ToyDataset
{
    /// <summary>Points per dataset, train and test together.</summary>
    public const int PointCount = 500;

    /// <summary>Half-width of the square the points (and the heat maps) live in.</summary>
    public const float Extent = 6f;

    /// <summary>
    /// The <paramref name="kind"/> dataset for <paramref name="seed"/>, shuffled and split: round(500·<paramref name="trainRatio"/>)
    /// training points (at least 1 and at most 499), the rest for testing.
    /// </summary>
    public static (ToyPoint[] Train, ToyPoint[] Test) Generate(ToyDatasetKind kind, double noise, double trainRatio, int seed)
    {
        var random = new Random(seed);
        var points = kind switch
        {
            ToyDatasetKind.Circle => Circle(random, noise),
            ToyDatasetKind.Xor => Xor(random, noise),
            ToyDatasetKind.Gaussians => Gaussians(random, noise),
            ToyDatasetKind.Spiral => Spiral(random, noise),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        random.Shuffle(points);
        int train = Math.Clamp((int)Math.Round(points.Length * trainRatio), 1, points.Length - 1);
        return (points[..train], points[train..]);
    }

    private static double Uniform(Random r, double low, double high) => low + (high - low) * r.NextDouble();

    private static double Normal(Random r, double mean, double variance)
    {
        double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
        return mean + Math.Sqrt(variance) * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // Positives inside radius 2.5, negatives in the ring 3.5–5; the label is judged after noise.
    private static ToyPoint[] Circle(Random r, double noise)
    {
        const double radius = 5;
        var points = new ToyPoint[PointCount];
        for (int i = 0; i < PointCount; i++)
        {
            double rr = i < PointCount / 2 ? Uniform(r, 0, radius * 0.5) : Uniform(r, radius * 0.7, radius);
            double angle = Uniform(r, 0, 2 * Math.PI);
            double x = rr * Math.Sin(angle), y = rr * Math.Cos(angle);
            double nx = Uniform(r, -radius, radius) * noise, ny = Uniform(r, -radius, radius) * noise;
            bool inside = Math.Sqrt((x + nx) * (x + nx) + (y + ny) * (y + ny)) < radius * 0.5;
            points[i] = new ToyPoint((float)x, (float)y, inside ? 1 : 0);
        }
        return points;
    }

    // Uniform in the four quadrants (kept 0.3 away from the axes); positive where x·y ≥ 0.
    private static ToyPoint[] Xor(Random r, double noise)
    {
        var points = new ToyPoint[PointCount];
        for (int i = 0; i < PointCount; i++)
        {
            double x = Uniform(r, -5, 5), y = Uniform(r, -5, 5);
            x += x > 0 ? 0.3 : -0.3;
            y += y > 0 ? 0.3 : -0.3;
            double nx = Uniform(r, -5, 5) * noise, ny = Uniform(r, -5, 5) * noise;
            points[i] = new ToyPoint((float)x, (float)y, (x + nx) * (y + ny) >= 0 ? 1 : 0);
        }
        return points;
    }

    // Two Gaussians at (2, 2) and (−2, −2), variance 0.5 (no noise) to 4 (noise 0.5).
    private static ToyPoint[] Gaussians(Random r, double noise)
    {
        double variance = 0.5 + noise / 0.5 * 3.5;
        var points = new ToyPoint[PointCount];
        for (int i = 0; i < PointCount; i++)
        {
            bool positive = i < PointCount / 2;
            double c = positive ? 2 : -2;
            points[i] = new ToyPoint((float)Normal(r, c, variance), (float)Normal(r, c, variance), positive ? 1 : 0);
        }
        return points;
    }

    // Two interleaved arms of 1.75 turns, radius 0 → 5, the second rotated by π.
    private static ToyPoint[] Spiral(Random r, double noise)
    {
        int n = PointCount / 2;
        var points = new ToyPoint[PointCount];
        for (int arm = 0; arm < 2; arm++)
            for (int i = 0; i < n; i++)
            {
                double rr = (double)i / n * 5, t = 1.75 * i / n * 2 * Math.PI + arm * Math.PI;
                double x = rr * Math.Sin(t) + Uniform(r, -1, 1) * noise, y = rr * Math.Cos(t) + Uniform(r, -1, 1) * noise;
                points[arm * n + i] = new ToyPoint((float)x, (float)y, arm == 0 ? 1 : 0);
            }
        return points;
    }
}
