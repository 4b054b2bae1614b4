namespace Trilobite.Layers;

/// <summary>A layer with exactly one input: subclasses work with one shape and one tensor.</summary>
public abstract class SingleInputLayer(string? name, int[]? inputShape) : Layer(name, inputShape)
{
    protected sealed override int[] ComputeOutputShape(int[][] inputShapes) => ComputeOutputShape(inputShapes[0]);

    protected sealed override void OnBuild(int[][] inputShapes) => OnBuild(inputShapes[0]);

    public sealed override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        if (x.Rank != InputShapes[0].Length + 1 || !x.Shape[1..].SequenceEqual(InputShapes[0]))
            throw LayerShapeException.For(this, $"input of shape {ShapeText.WithBatch(InputShapes[0])}", x.ShapeArray[1..]);
        return Forward(x, training);
    }

    protected abstract int[] ComputeOutputShape(int[] inputShape);

    protected virtual void OnBuild(int[] inputShape) { }

    protected abstract Tensor Forward(Tensor x, bool training);
}
