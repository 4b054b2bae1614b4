namespace Trilobite.Vision.Detection;

/// <summary>One object found: its box, its class (0-based, as the head's class channels) and the detector's score in [0, 1].</summary>
public sealed record DetectedObject(Box Box, int Label, float Score);
