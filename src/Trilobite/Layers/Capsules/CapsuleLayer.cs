using System.Text.Json.Nodes;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// A fully connected capsule layer with routing by agreement (Sabour et al. 2017, procedure 1): children u (N, I, K)
/// predict each of <see cref="Capsules"/> parents through W[i, j] (D×K), û = W·u; then, starting from logits b = 0 for
/// every sample, <see cref="Routings"/> times: couplings c = softmax of b over the parents (each child's couplings sum to
/// 1), s_j = Σ_i c_ij·û_ij, v_j = squash(s_j), b_ij += û_ij·v_j. Output v (N, capsules, dim). The gradient flows through
/// every iteration, as in the official code; <see cref="StopGradientInRouting"/> lets it flow only through the last
/// (the couplings then act as constants). W is (I, J, D, K), drawn from N(0, 0.01²); there are no biases, so the MNIST
/// network has exactly 6,804,224 parameters before its decoder.
/// </summary>
public sealed class CapsuleLayer : SingleInputLayer
{
    private Weight? _transforms;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option for capsules or dim below 1, or routings outside [1, <see cref="MaxRoutings"/>].</summary>
    public CapsuleLayer(int capsules = 10, int dim = 16, int routings = 3, bool stopGradientInRouting = false, int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Capsules = Arguments.AtLeast(nameof(CapsuleLayer), "capsules", capsules, 1);
        Dim = Arguments.AtLeast(nameof(CapsuleLayer), "dim", dim, 1);
        Routings = routings is >= 1 and <= MaxRoutings ? routings
            : throw new ArgumentException($"{nameof(CapsuleLayer)}: routings must be from 1 to {MaxRoutings}, got {routings}.");
        StopGradientInRouting = stopGradientInRouting;
    }

    /// <summary>Most routing iterations a layer (or a model file) may ask for: the paper uses 3, and each costs a pass over û.</summary>
    public const int MaxRoutings = 100;

    /// <summary>Parent capsules (the 10 digit capsules).</summary>
    public int Capsules { get; }
    /// <summary>Values per parent capsule (16).</summary>
    public int Dim { get; }
    /// <summary>Routing iterations (3).</summary>
    public int Routings { get; }
    /// <summary>Stop the gradient in all but the last iteration (a common simplification; the official code does not).</summary>
    public bool StopGradientInRouting { get; }

    /// <summary>The transforms W (children, capsules, dim, child dim).</summary>
    public Weight Transforms => _transforms ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 2) throw LayerShapeException.For(this, "capsules (children, child dim), as PrimaryCaps gives", s);
        return [Capsules, Dim];
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] s) => _transforms = AddWeight("kernel", [s[0], Capsules, Dim, s[1]], Initializer.RandomNormal(0.01));

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor u, bool training) => Route(u.CapsulePredictions(Transforms.Value), Routings, StopGradientInRouting);

    /// <summary>
    /// Routing by agreement on prediction vectors û (N, J, I, D): the parents v (N, J, D). With <paramref name="couplings"/>
    /// given, the final couplings c (N, J, I) are written there too (for tests and pictures).
    /// </summary>
    public static Tensor Route(Tensor votes, int routings, bool stopGradientInRouting, Action<Tensor>? couplings = null)
    {
        int n = votes.Dim(0), j = votes.Dim(1), i = votes.Dim(2), d = votes.Dim(3);
        var logits = Tensor.Zeros([n, j, i], votes.Device);
        Tensor parents = null!;
        for (int r = 0; r < routings; r++)
        {
            bool last = r == routings - 1;
            var c = logits.Softmax(1);                                                  // over the parents
            var u = stopGradientInRouting && !last ? votes.StopGradient() : votes;
            var perParent = u.Reshape(n * j, i, d);
            var s = c.Reshape(n * j, 1, i).BatchMatMul(perParent);                   // Σ_i c_ij·û_ij
            parents = s.Reshape(n, j, d).Squash();
            if (last) { couplings?.Invoke(c); break; }
            var agreement = parents.Reshape(n * j, 1, d).BatchMatMul(perParent, transposeOther: true);   // û_ij·v_j
            logits = logits + agreement.Reshape(n, j, i);
        }
        return parents;
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        (c["capsules"], c["dim"], c["routings"], c["stop_gradient_in_routing"]) = (Capsules, Dim, Routings, StopGradientInRouting);
        return c;
    }

    internal static CapsuleLayer FromConfig(JsonObject c) => new(Json.Int(c, "capsules"), Json.Int(c, "dim"), Json.Int(c, "routings"),
        Json.Bool(c, "stop_gradient_in_routing", false), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
