using Trilobite.Data;

namespace Trilobite;

/// <summary>Inputs and targets of equal length along the first axis: what Fit and Evaluate consume.</summary>
public sealed record Dataset(Tensor X, Tensor Y)
{
    /// <summary>Number of samples: the length of X's first axis.</summary>
    public int Count => X.Dim(0);

    /// <summary>Class names when the data has them (for predictions that print names, not indices).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>A weight per sample for the loss (Keras's validation_data = (x, y, sample_weight)), or null.</summary>
    public Tensor? SampleWeight { get; init; }
}

/// <summary>Turns the data layer's images into tensors.</summary>
public static class DatasetExtensions
{
    /// <summary>X = (N, H, W, C) pixels; Y = one-hot (N, classes) or, with <paramref name="oneHot"/> false, labels (N).</summary>
    public static Dataset ToDataset(this LabeledImages images, bool oneHot = true)
    {
        // Data lives in host memory (as a NumPy array does); Fit, Evaluate and Predict move each batch to the model's device.
        var x = Tensor.FromArray(images.Pixels, [images.Count, .. images.ImageShape], Device.Cpu);
        var y = oneHot
            ? Tensor.FromArray(images.OneHotLabels(), [images.Count, images.ClassCount], Device.Cpu)
            : Tensor.FromArray(images.Labels.Select(l => (float)l).ToArray(), [images.Count], Device.Cpu);
        return new Dataset(x, y) { ClassNames = images.ClassNames };
    }
}
