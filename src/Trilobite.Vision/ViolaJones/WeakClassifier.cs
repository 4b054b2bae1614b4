namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// An internal node of a boosted decision tree: go <see cref="Left"/> when the normalised feature value is below
/// <see cref="Threshold"/>, else <see cref="Right"/>. A child index &gt; 0 is another node; ≤ 0 is leaf −index
/// (OpenCV's convention in <c>internalNodes</c>: "left right featureIdx threshold").
/// </summary>
public readonly record struct TreeNode(int Left, int Right, int FeatureIndex, float Threshold);

/// <summary>
/// One weak classifier of a boosted stage: a small decision tree over Haar features (almost always a stump:
/// one node, two leaves). Its output is the value of the leaf reached.
/// </summary>
public sealed class WeakClassifier
{
    /// <summary>
    /// A tree rooted at node 0 (nodes and leaves copied). Throws <see cref="ArgumentException"/> when there is no node or a
    /// child points backwards, past the last node or to a missing leaf.
    /// </summary>
    public WeakClassifier(IReadOnlyList<TreeNode> nodes, IReadOnlyList<float> leaves)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(leaves);
        if (nodes.Count == 0)
            throw new ArgumentException("WeakClassifier: needs at least one node.", nameof(nodes));
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (int child in new[] { nodes[i].Left, nodes[i].Right })
            {
                // Children point forwards (no cycles) to a node, or to an existing leaf.
                if (child > 0 ? child <= i || child >= nodes.Count : -child >= leaves.Count)
                    throw new ArgumentException($"WeakClassifier: node {i} has child {child}, but there are {nodes.Count} nodes and {leaves.Count} leaves.", nameof(nodes));
            }
        }
        Nodes = nodes.ToArray();
        Leaves = leaves.ToArray();
    }

    /// <summary>A stump: value &lt; threshold → <paramref name="left"/>, else <paramref name="right"/>.</summary>
    public static WeakClassifier Stump(int featureIndex, float threshold, float left, float right) =>
        new([new TreeNode(0, -1, featureIndex, threshold)], [left, right]);

    /// <summary>The internal nodes; node 0 is the root.</summary>
    public IReadOnlyList<TreeNode> Nodes { get; }
    /// <summary>The leaf values, indexed by −child.</summary>
    public IReadOnlyList<float> Leaves { get; }
    /// <summary>True for a single-node tree (one feature test, two leaves).</summary>
    public bool IsStump => Nodes.Count == 1;

    /// <summary>The leaf value for a window, given its normalised feature values.</summary>
    public float Evaluate(Func<int, float> featureValue)
    {
        int idx = 0;
        do
        {
            var n = Nodes[idx];
            idx = featureValue(n.FeatureIndex) < n.Threshold ? n.Left : n.Right;
        } while (idx > 0);
        return Leaves[-idx];
    }
}
