namespace Trilobite.Vision.Data;

/// <summary>How images become input channels.</summary>
public enum ColorMode
{
    /// <summary>Three channels, R, G, B (grey files are expanded).</summary>
    Rgb,

    /// <summary>One channel: Y = 0.299 R + 0.587 G + 0.114 B, as OpenCV.</summary>
    Grayscale,
}

/// <summary>What to do with a file in a class folder that is not a readable image.</summary>
public enum BadFilePolicy
{
    /// <summary>Leave it out and write one warning naming it (the default).</summary>
    SkipWithWarning,

    /// <summary>Throw an <see cref="InvalidDataException"/> naming it.</summary>
    Fail,
}

/// <summary>
/// The knobs of <see cref="ImageFolder.Open"/>, after Keras's <c>image_dataset_from_directory</c>: image size,
/// colour mode, batch size, a seeded shuffle and train/validation split, augmentation of the training images,
/// and how far ahead background workers decode.
/// </summary>
public sealed record ImageFolderOptions
{
    /// <summary>Height every image is resized to (bilinear). Keras's default is 256.</summary>
    public int Height { get; init; } = 256;

    /// <summary>Width every image is resized to (bilinear).</summary>
    public int Width { get; init; } = 256;

    /// <summary>Three RGB channels (the default) or one grey channel.</summary>
    public ColorMode ColorMode { get; init; } = ColorMode.Rgb;

    /// <summary>Images per batch, at least 1. Keras's default is 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Fraction of the files (after a seeded shuffle) held out for validation, as Keras: the last ⌊n·split⌋.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Drives the split, the per-epoch shuffle and the augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the training files anew every epoch (validation files are never shuffled).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Random transformations applied to training images (never to validation images); null for none.</summary>
    public ImageAugmentation? Augmentation { get; init; }

    /// <summary>Targets as one-hot rows (for categorical cross-entropy) or as class indices (sparse).</summary>
    public bool OneHot { get; init; } = true;

    /// <summary>What to do with a file that is not a readable image: skip it with a warning (the default) or throw.</summary>
    public BadFilePolicy OnBadFile { get; init; } = BadFilePolicy.SkipWithWarning;

    /// <summary>Where skip warnings go; standard error by default.</summary>
    public TextWriter? Warnings { get; init; }

    /// <summary>Background decoding workers (each assembles whole batches).</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    /// <summary>Decoded batches waiting in the queue at most: memory is bounded by this, not by the data set.</summary>
    public int PrefetchBatches { get; init; } = 4;

    /// <summary>File extensions taken as images (others in class folders are reported as bad files).</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif"];

    internal void Validate()
    {
        if (Height < 1 || Width < 1) throw new ArgumentOutOfRangeException(nameof(Height), $"ImageFolder: image size must be positive, got {Height}×{Width}.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"ImageFolder: batch size must be at least 1, got {BatchSize}.");
        if (ValidationSplit is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(ValidationSplit), $"ImageFolder: validation split must be in [0, 1), got {ValidationSplit}.");
        if (Workers < 1 || PrefetchBatches < 1) throw new ArgumentOutOfRangeException(nameof(Workers), $"ImageFolder: workers ({Workers}) and prefetch batches ({PrefetchBatches}) must be at least 1.");
    }
}
