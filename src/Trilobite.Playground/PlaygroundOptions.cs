namespace Trilobite.Playground;

/// <summary>
/// Settings of the playground, bound from the "Playground" configuration section (command line:
/// <c>--model FILE</c> maps to <c>Playground:ModelPath</c>, <c>--epochs N</c> to <c>Playground:TrainEpochs</c>).
/// </summary>
public sealed class PlaygroundOptions
{
    /// <summary>A model saved by <c>trilobite train --save</c> (28×28×1 in, 10 classes out); when null, LeNet is trained at start-up.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Epochs of start-up training on the shipped MNIST sample (8,495 digits). One takes about 25 s on two cores; two reach about 96% test accuracy.</summary>
    public int TrainEpochs { get; set; } = 2;

    /// <summary>Seed of the start-up training.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 1 << 20;
}
