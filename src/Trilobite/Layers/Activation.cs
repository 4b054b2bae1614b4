namespace Trilobite;

/// <summary>The activation functions a layer can apply to its output.</summary>
public enum Activation
{
    /// <summary>The identity: no activation.</summary>
    Linear,
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>The hyperbolic tangent.</summary>
    Tanh,
    /// <summary>max(x, 0).</summary>
    ReLU,
    /// <summary>Softmax over the last axis (class probabilities).</summary>
    Softmax,
    /// <summary>x for x &gt; 0, 0.2·x otherwise (as Keras's <c>leaky_relu</c> activation; the LeakyReLU layer defaults to 0.3).</summary>
    LeakyReLU,
    /// <summary>x for x &gt; 0, eˣ − 1 otherwise (α = 1).</summary>
    ELU,
    /// <summary>Exact GELU, x·Φ(x) with Φ the standard normal CDF (as Keras, approximate=False).</summary>
    GELU,
}

/// <summary>Applies an <see cref="Activation"/> and converts it to and from Keras's config names.</summary>
public static class Activations
{
    /// <summary>Applies <paramref name="activation"/> elementwise (Softmax: over the last axis); Linear returns <paramref name="x"/> itself.</summary>
    public static Tensor Apply(Tensor x, Activation activation) => activation switch
    {
        Activation.Linear => x,
        Activation.Sigmoid => x.Sigmoid(),
        Activation.Tanh => x.Tanh(),
        Activation.ReLU => x.Relu(),
        Activation.Softmax => x.Softmax(),
        Activation.LeakyReLU => x.LeakyRelu(0.2f),
        Activation.ELU => x.Elu(),
        Activation.GELU => x.Gelu(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>Keras's name: "linear", "sigmoid", "tanh", "relu", "softmax", "leaky_relu", "elu", "gelu".</summary>
    public static string Name(Activation activation) => activation switch
    {
        Activation.LeakyReLU => "leaky_relu",
        _ => activation.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses a Keras activation name (case-insensitive); throws listing the known names.</summary>
    public static Activation Parse(string name) => name.ToLowerInvariant() switch
    {
        "linear" or "none" => Activation.Linear,
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        "relu" => Activation.ReLU,
        "softmax" => Activation.Softmax,
        "leaky_relu" or "leakyrelu" => Activation.LeakyReLU,
        "elu" => Activation.ELU,
        "gelu" => Activation.GELU,
        _ => throw new ArgumentException($"Unknown activation '{Excerpt.Of(name)}'. Known: linear, sigmoid, tanh, relu, softmax, leaky_relu, elu, gelu."),
    };
}
