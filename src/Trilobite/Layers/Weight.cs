using Trilobite.Initializers;

namespace Trilobite.Layers;

/// <summary>
/// A named weight of a layer (a kernel, a bias, a moving mean…). Building a layer only declares its weights (shape and
/// initializer): the values are drawn once, on the layer's device, the first time <see cref="Value"/> is read, from a
/// counter-based stream keyed by the layer's seed and the weight's position, so a summary of VGG-16 allocates nothing and
/// the same seed gives the same values on every device. Non-trainable weights are updated by the layer itself
/// (BatchNormalization's statistics), never by an optimizer.
/// <code>var scale = new Weight(layer, "scale", [channels], Initializer.Ones);   // a custom layer's weight (or use AddWeight)</code>
/// </summary>
public sealed class Weight
{
    private Tensor? _value;

    /// <summary>A weight of <paramref name="owner"/>; layers usually call their protected <c>AddWeight</c>, which also registers it.</summary>
    public Weight(Layer owner, string name, int[] shape, Initializer initializer, bool trainable = true)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(initializer);
        Owner = owner;
        Name = name;
        Shape = (int[])shape.Clone();
        Size = Tensor.ElementCount(Shape);
        Initializer = initializer;
        IsTrainableKind = trainable;
    }

    /// <summary>The layer the weight belongs to: its device, seed and <see cref="Layer.Trainable"/> apply.</summary>
    public Layer Owner { get; }

    /// <summary>Short name within the layer: "kernel", "bias", "gamma", "moving_mean"…</summary>
    public string Name { get; }

    /// <summary>"layer_name/weight_name", unique within a model; the key in saved files.</summary>
    public string Path => $"{Owner.Name}/{Name}";

    /// <summary>The dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>Number of values (the summary's parameter count comes from this, without drawing any).</summary>
    public int Size { get; }

    /// <summary>The values, on the owner's device; drawn from the initializer on first use.</summary>
    public Tensor Value => _value ??= Materialize();

    /// <summary>Whether the values exist yet (false until first used, loaded or assigned).</summary>
    public bool IsMaterialized => _value != null;

    /// <summary>Whether an optimizer may update it: a trainable kind of weight in a trainable layer.</summary>
    public bool Trainable => IsTrainableKind && Owner.Trainable;

    /// <summary>A penalty on the values added to the training loss (Keras's kernel_regularizer/bias_regularizer), or null.</summary>
    public Regularizer? Regularizer { get; set; }

    internal bool IsTrainableKind { get; }

    /// <summary>Draws the values on first use and on reinitialisation.</summary>
    public Initializer Initializer { get; }

    /// <summary>The seed of this weight's random stream: the owner's seed and the weight's position among its weights.</summary>
    internal ulong Seed => (ulong)(uint)RandomSeed.Derive(Owner.InitializationSeed, Owner.IndexOf(this));

    /// <summary>Sets the values from the host (a loaded file), without drawing them first.</summary>
    internal void Assign(float[] values)
    {
        if (values.Length != Size)
            throw new ArgumentException($"Weight '{Path}' has shape {ShapeText.Of(Shape)} ({Size} values), but {values.Length} were given.");
        if (_value == null) _value = Tracked(Tensor.FromArray(values, Shape, Owner.Device));
        else _value.Backend.CopyFromHost(values, _value.Data);
    }

    /// <summary>Draws the values again from the initializer (if they exist; otherwise they will be drawn with the current seed on first use).</summary>
    internal void Reinitialize()
    {
        if (_value != null) Initializer.Fill(_value, Seed);
    }

    /// <summary>Moves the values (if they exist) to <paramref name="device"/>; the gradient does not move.</summary>
    internal void MoveTo(Device device)
    {
        if (_value == null || _value.Device == device) return;
        _value = Tracked(_value.CopyTo(device, pooled: false));
    }

    private Tensor Materialize()
    {
        var value = Tensor.Zeros(Shape, Owner.Device);
        Initializer.Fill(value, Seed);
        return Tracked(value);
    }

    /// <summary>Gradients are recorded only for weights an optimizer may update (see <see cref="Layer.Trainable"/>).</summary>
    internal void SyncRequiresGrad()
    {
        if (_value != null) _value.RequiresGrad = Trainable;
    }

    private Tensor Tracked(Tensor value)
    {
        value.RequiresGrad = Trainable;
        value.Name = Path;
        return value;
    }

    /// <summary>The path and shape, e.g. "dense_1/kernel (784, 10)".</summary>
    public override string ToString() => $"{Path} {ShapeText.Of(Shape)}";
}
