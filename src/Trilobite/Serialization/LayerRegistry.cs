using System.Text.Json.Nodes;
using Trilobite.Layers;

namespace Trilobite.Serialization;

/// <summary>
/// Rebuilds layers from their saved configs by class name. Only the classes registered here can be
/// created: a model file is data, never code. Register custom layers with <see cref="Register"/>.
/// </summary>
public static class LayerRegistry
{
    private static readonly Dictionary<string, Func<JsonObject, Layer>> s_factories = new()
    {
        ["Conv2D"] = Conv2D.FromConfig,
        ["Dense"] = Dense.FromConfig,
        ["MaxPooling2D"] = MaxPooling2D.FromConfig,
        ["AveragePooling2D"] = AveragePooling2D.FromConfig,
        ["GlobalAveragePooling2D"] = GlobalAveragePooling2D.FromConfig,
        ["GlobalMaxPooling2D"] = GlobalMaxPooling2D.FromConfig,
        ["Dropout"] = Dropout.FromConfig,
        ["Flatten"] = Flatten.FromConfig,
        ["Reshape"] = Reshape.FromConfig,
        ["Activation"] = ActivationLayer.FromConfig,
        ["BatchNormalization"] = BatchNormalization.FromConfig,
        ["Add"] = Add.FromConfig,
        ["Concatenate"] = Concatenate.FromConfig,
        ["ZeroPadding2D"] = ZeroPadding2D.FromConfig,
        ["Cropping2D"] = Cropping2D.FromConfig,
        ["Conv2DTranspose"] = Conv2DTranspose.FromConfig,
        ["UpSampling2D"] = UpSampling2D.FromConfig,
        ["ElementwiseConstant"] = ElementwiseConstant.FromConfig,
        ["ChannelSlice"] = ChannelSlice.FromConfig,
        ["LeakyReLU"] = LeakyReLU.FromConfig,
        ["PrimaryCaps"] = PrimaryCaps.FromConfig,
        ["CapsuleLayer"] = CapsuleLayer.FromConfig,
        ["Length"] = Length.FromConfig,
        ["Mask"] = Mask.FromConfig,
        ["Sequential"] = ModelConfig.Read,
        ["Functional"] = ModelConfig.Read,
        ["CapsNet"] = ModelConfig.Read,
    };

    /// <summary>Makes a custom layer type loadable: <paramref name="className"/> is its <see cref="Layer.TypeName"/>.</summary>
    public static void Register(string className, Func<JsonObject, Layer> fromConfig) => s_factories[className] = fromConfig;

    /// <summary>Creates a layer from {"class_name": …, "config": {…}}.</summary>
    public static Layer Create(JsonObject entry)
    {
        string className = Json.String(entry, "class_name");
        if (!s_factories.TryGetValue(className, out var factory))
            throw new InvalidDataException($"Unknown layer class '{Excerpt.Of(className)}'. Known: {string.Join(", ", s_factories.Keys)}.");
        var config = Json.Required(entry, "config") as JsonObject
            ?? throw new InvalidDataException($"The config of a '{Excerpt.Of(className)}' layer is not an object.");
        bool trainable = Json.Bool(config, "trainable", true);
        if (className is "Sequential" or "Functional")
        {
            var model = factory(entry);
            model.SetTrainableFlag(trainable);   // its layers read their own flags
            return model;
        }
        try
        {
            var layer = factory(config);
            layer.SetTrainableFlag(trainable);
            return layer;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            // The constructors' checks (stride 0, a name with '/') say what is wrong; the file's reader says where.
            string name = config["name"] is JsonValue v && v.TryGetValue(out string? n) ? $"'{Excerpt.Of(n)}' " : "";
            throw new InvalidDataException($"layer {name}({className}): {ErrorText.Of(e)}", e);
        }
    }

    /// <summary>{"class_name": …, "config": {…}} for a layer.</summary>
    public static JsonObject Describe(Layer layer) => layer is Model model
        ? ModelConfig.Write(model)
        : new JsonObject { ["class_name"] = layer.TypeName, ["config"] = layer.GetConfig() };
}
