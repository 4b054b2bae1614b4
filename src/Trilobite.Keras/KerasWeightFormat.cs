namespace Trilobite.Keras;

/// <summary>The two HDF5 layouts Keras writes weights in.</summary>
public enum KerasWeightFormat
{
    /// <summary>Keras 3's <c>model.save_weights("x.weights.h5")</c>: <c>layers/&lt;class_snake&gt;[_n]/vars/&lt;i&gt;</c>, one group per layer, named by class and position.</summary>
    Keras3,

    /// <summary>Keras 2's <c>save_weights("x.h5")</c>: a root attribute <c>layer_names</c>, each layer's group with a <c>weight_names</c> attribute; matched by order.</summary>
    Legacy,
}
