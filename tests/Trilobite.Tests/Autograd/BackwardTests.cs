using Trilobite.Autograd;

namespace Trilobite.Tests.Autograd;

public class BackwardTests
{
    [Fact]
    public void NonScalarWithoutSeedIsAClearError()
    {
        var x = Tensor.Ones(2, 3);
        x.RequiresGrad = true;
        var ex = Assert.Throws<InvalidOperationException>(() => x.Tanh().Backward());
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("seed", ex.Message);
    }

    [Fact]
    public void GradientsAccumulateAcrossCalls()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        x.RequiresGrad = true;
        (x * x).Sum().Backward();
        (x * x).Sum().Backward();
        Assert.Equal([4f, 8f, 12f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void SharedInputGetsBothContributions()
    {
        var x = Tensor.FromArray([2f], 1);
        x.RequiresGrad = true;
        var y = x * x + x;           // dy/dx = 2x + 1 = 5
        y.Sum().Backward();
        Assert.Equal(5f, x.Grad!.Span[0]);
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Tensor.Ones(2);
        x.RequiresGrad = true;
        Tensor y;
        using (GradMode.NoGrad()) y = x.Tanh();
        Assert.False(y.RequiresGrad);
        Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
    }

    [Fact]
    public void ScopeReturnsBuffersAndReusesThem()
    {
        var x = Tensor.Ones(64);
        Trilobite.Backends.Storage first;
        using (new TensorScope()) first = x.Tanh().Storage;
        using (new TensorScope()) Assert.Same(first, x.Tanh().Storage);
    }
}
