namespace Trilobite.Layers;

/// <summary>A layer with exactly one input: subclasses work with one shape and one tensor.</summary>
public abstract class SingleInputLayer(string? name, int[]? inputShape) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    protected sealed override int[] ComputeOutputShape(int[][] inputShapes) => ComputeOutputShape(inputShapes[0]);

    /// <inheritdoc/>
    protected sealed override void OnBuild(int[][] inputShapes) => OnBuild(inputShapes[0]);

    /// <summary>Checks the one input against the built shape, or one the layer shares its weights with (throws <see cref="LayerShapeException"/> otherwise), then calls <see cref="Forward(Tensor, bool)"/>.</summary>
    public sealed override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Forward(CheckedInput(inputs), training);

    /// <summary>The one input, once checked against the built shape or one the layer shares its weights with.</summary>
    protected Tensor CheckedInput(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        bool built = x.Rank == InputShapes[0].Length + 1 && x.Shape[1..].SequenceEqual(InputShapes[0]);
        if (!built && (x.Rank < 1 || !Accepts([x.ShapeArray[1..]])))
            throw LayerShapeException.For(this, $"input of shape {ShapeText.WithBatch(InputShapes[0])}", x.ShapeArray[1..]);
        return x;
    }

    /// <summary>The output shape for this input shape (no batch axis); throws <see cref="LayerShapeException"/> for a shape the layer cannot take.</summary>
    protected abstract int[] ComputeOutputShape(int[] inputShape);

    /// <inheritdoc/>
    protected sealed override bool CanShareWeights(int[][] inputShapes) => CanShareWeights(inputShapes[0]);

    /// <summary>Whether the built weights also fit an input of <paramref name="inputShape"/> (see <see cref="Layer.CanShareWeights(int[][])"/>).</summary>
    protected virtual bool CanShareWeights(int[] inputShape) => false;

    /// <summary>Creates the weights for this input shape (no batch axis). Called once, after the output shape is known.</summary>
    protected virtual void OnBuild(int[] inputShape) { }

    /// <summary>Computes the layer on a batch <paramref name="x"/> already checked against the built shape; <paramref name="training"/> switches dropout and batch statistics on.</summary>
    protected abstract Tensor Forward(Tensor x, bool training);
}
