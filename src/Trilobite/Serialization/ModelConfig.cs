using System.Text.Json.Nodes;
using Trilobite.Layers;

namespace Trilobite.Serialization;

/// <summary>
/// A model's architecture as JSON. A Sequential lists its layers and input shape; a functional model
/// lists its layers once each and its graph as nodes (layer name + indices of the nodes feeding it).
/// </summary>
internal static class ModelConfig
{
    /// <summary>
    /// Most layers a saved model may hold, nested models included (ResNet-152 has about 500): a file cannot make loading
    /// take unbounded time building layers.
    /// </summary>
    public const int MaxLayers = 10_000;

    public static JsonObject Write(Model model)
    {
        var config = new JsonObject { ["name"] = model.Name, ["seed"] = model.Seed };
        if (model is Sequential sequential)
        {
            config["input_shape"] = Json.Array(model.InputShape);
            config["layers"] = new JsonArray(sequential.Stack.Select(l => (JsonNode)LayerRegistry.Describe(l)).ToArray());
            return new JsonObject { ["class_name"] = "Sequential", ["config"] = config };
        }
        var nodes = model.Nodes.ToList();
        int IndexOf(SymbolicTensor t) => nodes.FindIndex(n => ReferenceEquals(n, t));
        config["layers"] = new JsonArray(model.Layers.Select(l => (JsonNode)(l is InputLayer input
            ? new JsonObject { ["class_name"] = "InputLayer", ["config"] = new JsonObject { ["name"] = input.Name, ["shape"] = Json.Array(input.OutputShape) } }
            : LayerRegistry.Describe(l))).ToArray());
        config["nodes"] = new JsonArray(nodes.Select(n => (JsonNode)new JsonObject
        {
            ["layer"] = n.Layer.Name,
            ["inbound"] = Json.Array(n.Inputs.Select(IndexOf)),
        }).ToArray());
        config["inputs"] = Json.Array(model.GraphInputs.Select(IndexOf));
        config["outputs"] = Json.Array(model.GraphOutputs.Select(IndexOf));
        return new JsonObject { ["class_name"] = model.TypeName, ["config"] = config };   // "Functional", or a graph model kind such as "CapsNet"
    }

    public static Model Read(JsonObject entry)
    {
        int layerCount = CountLayers(entry);
        if (layerCount > MaxLayers) throw new InvalidDataException($"the model has {layerCount} layers, more than the {MaxLayers} a file may hold.");
        string className = Json.String(entry, "class_name");
        var config = Json.Object(entry, "config");
        string? name = Json.OptionalString(config, "name");
        int seed = Json.OptionalInt(config, "seed") ?? 0;
        Model model;
        if (className == "Sequential")
        {
            var layers = Json.Array(config, "layers").Select(l => LayerRegistry.Create(AsObject(l))).ToList();
            var sequential = new Sequential(layers, name);
            sequential.Build(Json.IntArray(config, "input_shape"));
            model = sequential;
        }
        else model = ReadFunctional(config, name, className);
        model.UseSeed(seed);   // the weights are loaded next; only training streams need the seed
        return model;
    }

    private static Model ReadFunctional(JsonObject config, string? name, string className)
    {
        var layers = new Dictionary<string, Layer>();
        var inputShapes = new Dictionary<string, int[]>();
        foreach (var node in Json.Array(config, "layers"))
        {
            var entry = AsObject(node);
            var layerConfig = Json.Object(entry, "config");
            string layerName = Json.String(layerConfig, "name");
            if (layers.ContainsKey(layerName) || inputShapes.ContainsKey(layerName))
                throw new InvalidDataException($"two layers are named '{Excerpt.Of(layerName)}'.");
            if (Json.String(entry, "class_name") == "InputLayer") inputShapes[layerName] = Json.IntArray(layerConfig, "shape");
            else layers[layerName] = LayerRegistry.Create(entry);
        }
        var built = new List<SymbolicTensor>();
        var nodes = Json.Array(config, "nodes");
        if (nodes.Count > MaxLayers) throw new InvalidDataException($"the model has {nodes.Count} layer calls, more than the {MaxLayers} a file may hold.");
        foreach (var node in nodes)
        {
            var n = AsObject(node);
            string layerName = Json.String(n, "layer");
            int[] inbound = Json.IntArray(n, "inbound");
            if (inbound.Any(i => i < 0 || i >= built.Count))
                throw new InvalidDataException($"Node for layer '{Excerpt.Of(layerName)}' refers to a node that does not precede it.");
            if (inputShapes.TryGetValue(layerName, out var shape)) built.Add(Input.Of(shape, layerName));
            else if (layers.TryGetValue(layerName, out var layer)) built.Add(layer.Call(inbound.Select(i => built[i]).ToArray()));
            else throw new InvalidDataException($"Node refers to unknown layer '{Excerpt.Of(layerName)}'.");
        }
        SymbolicTensor Pick(int i) => i >= 0 && i < built.Count ? built[i] : throw new InvalidDataException($"Model input/output index {i} is out of range.");
        SymbolicTensor[] inputs = Json.IntArray(config, "inputs").Select(Pick).ToArray(), outputs = Json.IntArray(config, "outputs").Select(Pick).ToArray();
        return className switch
        {
            "CapsNet" => new Zoo.CapsNet(inputs, outputs, name),   // a graph whose training step is its own
            _ => new Model(inputs, outputs, name),
        };
    }

    /// <summary>Layers in a model's config, counting those of nested models.</summary>
    private static int CountLayers(JsonObject entry)
    {
        int count = 0;
        var pending = new Stack<JsonNode?>([entry]);
        while (pending.Count > 0)
            if (pending.Pop() is JsonObject { } model && model["config"] is JsonObject config)
            {
                if (config["layers"] is JsonArray layers) { count += layers.Count; foreach (var l in layers) pending.Push(l); }
            }
        return count;
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw new InvalidDataException($"expected a JSON object in the model config, found {Excerpt.Of(node?.ToJsonString())}.");
}
