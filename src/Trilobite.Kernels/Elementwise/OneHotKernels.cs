namespace Trilobite.Kernels;

/// <summary>Class labels (stored as floats, truncated to integers as Keras casts them) to one-hot rows.</summary>
public static class OneHotKernels
{
    /// <summary>destination[r, c] = 1 where c is label r, else 0; a label outside [0, classes) is an error naming its row.</summary>
    public static void OneHot(ReadOnlySpan<float> labels, int classes, Span<float> destination)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), $"OneHot: classes must be at least 1, got {classes}.");
        KernelArguments.Length(nameof(OneHot), "the destination", destination.Length, (long)labels.Length * classes);
        destination.Clear();
        for (int r = 0; r < labels.Length; r++)
        {
            float label = labels[r];
            if (!(label >= 0 && label < classes))
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} at row {r} is outside [0, {classes}).");
            destination[r * classes + (int)label] = 1;
        }
    }
}
