namespace Trilobite.Initializers;

/// <summary>
/// Fills a new weight from the counter-based random stream of a seed (so every device draws the same values). Fans
/// follow Keras: for a dense kernel (in, out) fanIn = in, fanOut = out; for a convolution kernel (KH, KW, C, OC)
/// fanIn = KH·KW·C and fanOut = KH·KW·OC.
/// </summary>
public abstract class Initializer
{
    /// <summary>Glorot (Xavier) uniform: U(−l, l) with l = √(6/(fanIn + fanOut)). Keras's default for Dense and Conv2D.</summary>
    public static Initializer GlorotUniform { get; } = new VarianceScaling("glorot_uniform", 1, FanMode.Average, uniform: true);

    /// <summary>Glorot normal: truncated normal with σ = √(2/(fanIn + fanOut)).</summary>
    public static Initializer GlorotNormal { get; } = new VarianceScaling("glorot_normal", 1, FanMode.Average, uniform: false);

    /// <summary>He normal: truncated normal with σ = √(2/fanIn), for ReLU networks.</summary>
    public static Initializer HeNormal { get; } = new VarianceScaling("he_normal", 2, FanMode.In, uniform: false);

    /// <summary>He uniform: U(−l, l) with l = √(6/fanIn).</summary>
    public static Initializer HeUniform { get; } = new VarianceScaling("he_uniform", 2, FanMode.In, uniform: true);

    /// <summary>All zeros ("zeros"): Keras's default for biases.</summary>
    public static Initializer Zeros { get; } = new Constant("zeros", 0);
    /// <summary>All ones ("ones"), as for BatchNormalization's γ and moving variance.</summary>
    public static Initializer Ones { get; } = new Constant("ones", 1);

    /// <summary>Normal with mean 0 and standard deviation <paramref name="stddev"/>, not truncated ("random_normal(0.01)"): RetinaNet's heads.</summary>
    public static Initializer RandomNormal(double stddev) =>
        stddev > 0 && double.IsFinite(stddev) ? new Normal(stddev) : throw new ArgumentOutOfRangeException(nameof(stddev), $"A normal initializer needs a positive, finite standard deviation, got {stddev}.");

    /// <summary>Every value <paramref name="value"/> ("constant(-4.59512)"): a classifier's bias at its prior probability.</summary>
    public static Initializer ConstantValue(double value) =>
        double.IsFinite(value) ? new Constant(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"constant({(float)value:R})"), (float)value)
            : throw new ArgumentOutOfRangeException(nameof(value), $"A constant initializer needs a finite value, got {value}.");

    /// <summary>
    /// Exactly <paramref name="values"/> (row-major), whatever the seed: a constant that is part of the model, such as an
    /// imported mean image. Not written to configs by name ("values"): such weights are saved with the model's weights.
    /// </summary>
    public static Initializer Values(float[] values) => new FixedValues((float[])(values ?? throw new ArgumentNullException(nameof(values))).Clone());

    /// <summary>The Keras name used in configs ("glorot_uniform", …).</summary>
    public abstract string Name { get; }

    /// <summary>Writes the initial values into <paramref name="weight"/> (any device), drawing from stream <paramref name="seed"/>.</summary>
    public abstract void Fill(Tensor weight, ulong seed);

    /// <summary>Looks an initializer up by its Keras name.</summary>
    public static Initializer FromName(string name) => name switch
    {
        "glorot_uniform" => GlorotUniform,
        "glorot_normal" => GlorotNormal,
        "he_normal" => HeNormal,
        "he_uniform" => HeUniform,
        "zeros" => Zeros,
        "ones" => Ones,
        _ when Argument(name, "random_normal(") is double s => RandomNormal(s),
        _ when Argument(name, "constant(") is double v => ConstantValue(v),
        _ => throw new ArgumentException($"Unknown initializer '{Excerpt.Of(name)}'. Known: glorot_uniform, glorot_normal, he_normal, he_uniform, zeros, ones, random_normal(STDDEV), constant(VALUE)."),
    };

    /// <summary>The number in "prefix(number)", or null.</summary>
    private static double? Argument(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(')')
            && double.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
            ? v : null;

    internal static (int FanIn, int FanOut) Fans(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        if (shape.Length == 2) return (shape[0], shape[1]);
        int receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (receptive * shape[^2], receptive * shape[^1]);
    }

    internal enum FanMode { In, Average }

    private sealed class VarianceScaling(string name, double scale, FanMode mode, bool uniform) : Initializer
    {
        public override string Name => name;

        public override void Fill(Tensor weight, ulong seed)
        {
            var (fanIn, fanOut) = Fans(weight.Shape);
            double fan = mode == FanMode.In ? fanIn : (fanIn + fanOut) / 2.0;
            double variance = scale / Math.Max(1, fan);
            if (uniform)
            {
                float limit = (float)Math.Sqrt(3 * variance);
                weight.Backend.FillUniform(weight.Data, seed, -limit, limit);
                return;
            }
            // Truncated at two standard deviations, rescaled so the variance is as asked (Keras's constant).
            weight.Backend.FillTruncatedNormal(weight.Data, seed, 0f, (float)(Math.Sqrt(variance) / 0.87962566103423978));
        }
    }

    private sealed class Normal(double stddev) : Initializer
    {
        public override string Name => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"random_normal({stddev:R})");
        public override void Fill(Tensor weight, ulong seed) => weight.Backend.FillNormal(weight.Data, seed, 0f, (float)stddev);
    }

    private sealed class FixedValues(float[] values) : Initializer
    {
        public override string Name => "values";
        public override void Fill(Tensor weight, ulong seed)
        {
            if (weight.Length != values.Length)
                throw new ArgumentException($"Weight '{weight.Name}' holds {weight.Length} values; its initializer has {values.Length}.");
            weight.Backend.CopyFromHost(values, weight.Data);
        }
    }

    private sealed class Constant(string name, float value) : Initializer
    {
        public override string Name => name;
        public override void Fill(Tensor weight, ulong seed) => weight.Backend.Fill(weight.Data, value);
    }
}
