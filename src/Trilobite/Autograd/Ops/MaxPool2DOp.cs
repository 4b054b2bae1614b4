using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Max pooling over NHWC windows; remembers each winner's index so dx[winner] += dy.</summary>
public sealed class MaxPool2DOp : Op
{
    private readonly int[] _argmax;

    private MaxPool2DOp(Tensor x, int[] argmax) : base([x]) => _argmax = argmax;

    public static Tensor Apply(Tensor x, (int H, int W) pool, (int H, int W) strides, Padding padding)
    {
        var g = PoolGeometry.Create(x, pool, strides, padding, "MaxPooling2D");
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.OutChannels], clear: false);
        bool record = ShouldRecord(x);
        int[] argmax = record ? TensorScope.RentIndices(y.Length) : System.Buffers.ArrayPool<int>.Shared.Rent(y.Length);
        PoolKernels.MaxForward(g, x.Span, y.Span, argmax.AsSpan(0, y.Length));
        if (record) return Attach(y, new MaxPool2DOp(x, argmax));
        System.Buffers.ArrayPool<int>.Shared.Return(argmax);
        return y;
    }

    protected internal override void Backward(Tensor dy) => PoolKernels.MaxBackward(dy.Span, _argmax.AsSpan(0, dy.Length), GradOf(Inputs[0]));
}
