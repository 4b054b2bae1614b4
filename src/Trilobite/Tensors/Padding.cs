namespace Trilobite;

/// <summary>Keras's padding modes for convolutions and pooling.</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input; output ⌊(n − k)/s⌋ + 1.</summary>
    Valid,

    /// <summary>Zero padding so the output is ⌈n/s⌉; the odd pixel goes to the bottom/right.</summary>
    Same,
}
