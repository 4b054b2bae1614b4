namespace Trilobite.Layers;

/// <summary>A named weight of a layer (a kernel, a bias, a moving mean…). Non-trainable weights are
/// updated by the layer itself (BatchNormalization's statistics), never by an optimizer.</summary>
public sealed class Weight
{
    internal Weight(Layer owner, string name, Tensor value, bool trainable, Initializers.Initializer initializer)
    {
        Initializer = initializer;
        Owner = owner;
        Name = name;
        Value = value;
        IsTrainableKind = trainable;
    }

    public Layer Owner { get; }

    /// <summary>Short name within the layer: "kernel", "bias", "gamma", "moving_mean"…</summary>
    public string Name { get; }

    /// <summary>"layer_name/weight_name", unique within a model; the key in saved files.</summary>
    public string Path => $"{Owner.Name}/{Name}";

    public Tensor Value { get; }

    /// <summary>Whether an optimizer may update it: a trainable kind of weight in a trainable layer.</summary>
    public bool Trainable => IsTrainableKind && Owner.Trainable;

    internal bool IsTrainableKind { get; }

    internal Initializers.Initializer Initializer { get; }

    public int[] Shape => Value.ShapeArray;
}
