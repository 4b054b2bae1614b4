using Trilobite.Autograd.Ops;
using Trilobite.Kernels;

namespace Trilobite;

/// <summary>The differentiable operations, as one-line calls that record their op.</summary>
public sealed partial class Tensor
{
    /// <summary>a + b elementwise, with NumPy broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => BinaryOp.Apply(BinaryOperator.Add, a, b);
    /// <summary>a − b elementwise, with NumPy broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => BinaryOp.Apply(BinaryOperator.Subtract, a, b);
    /// <summary>a·b elementwise (not the matrix product: see <see cref="MatMul"/>), with NumPy broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => BinaryOp.Apply(BinaryOperator.Multiply, a, b);
    /// <summary>a/b elementwise, with NumPy broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => BinaryOp.Apply(BinaryOperator.Divide, a, b);
    /// <summary>Every element times <paramref name="s"/>.</summary>
    public static Tensor operator *(Tensor a, float s) => ElementwiseOp<ScaleOperator>.Apply(new ScaleOperator(s), a);
    /// <summary>Every element times <paramref name="s"/>.</summary>
    public static Tensor operator *(float s, Tensor a) => ElementwiseOp<ScaleOperator>.Apply(new ScaleOperator(s), a);
    /// <summary>Every element plus <paramref name="s"/>.</summary>
    public static Tensor operator +(Tensor a, float s) => ElementwiseOp<ShiftOperator>.Apply(new ShiftOperator(s), a);
    /// <summary>Every element minus <paramref name="s"/>.</summary>
    public static Tensor operator -(Tensor a, float s) => ElementwiseOp<ShiftOperator>.Apply(new ShiftOperator(-s), a);
    /// <paramref name="s"/> minus every element.
    public static Tensor operator -(float s, Tensor a) => ElementwiseOp<ShiftOperator>.Apply(new ShiftOperator(s), ElementwiseOp<ScaleOperator>.Apply(new ScaleOperator(-1f), a));
    /// <summary>Every element negated.</summary>
    public static Tensor operator -(Tensor a) => ElementwiseOp<ScaleOperator>.Apply(new ScaleOperator(-1f), a);

    /// <summary>Matrix product of (m, k) and (k, n).</summary>
    public Tensor MatMul(Tensor other) => MatMulOp.Apply(this, other);

    /// <summary>Applies an elementwise operator struct (see <see cref="IUnaryOperator"/>): how every activation below is built.</summary>
    public Tensor Map<TOp>(TOp op) where TOp : struct, IUnaryOperator => ElementwiseOp<TOp>.Apply(op, this);

    /// <summary>max(x, 0) elementwise (NaN stays NaN).</summary>
    public Tensor Relu() => Map(new ReluOperator());
    /// <summary>1/(1 + e^(−x)) elementwise.</summary>
    public Tensor Sigmoid() => Map(new SigmoidOperator());
    /// <summary>tanh x elementwise.</summary>
    public Tensor Tanh() => Map(new TanhOperator());
    /// <summary>x for x &gt; 0, α·x otherwise (α = 0.2 by default, as Keras's leaky_relu activation).</summary>
    public Tensor LeakyRelu(float alpha = 0.2f) => Map(new LeakyReluOperator(alpha));
    /// <summary>x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
    public Tensor Elu(float alpha = 1f) => Map(new EluOperator(alpha));
    /// <summary>Exact GELU x·Φ(x), Keras's default (approximate=False).</summary>
    public Tensor Gelu() => Map(new GeluOperator());
    /// <summary>eˣ elementwise.</summary>
    public Tensor Exp() => Map(new ExpOperator());
    /// <summary>ln x elementwise.</summary>
    public Tensor Log() => Map(new LogOperator());
    /// <summary>|x| elementwise; the gradient at 0 is 0.</summary>
    public Tensor Abs() => Map(new AbsOperator());
    /// <summary>log(1 + eˣ) elementwise, computed so it neither overflows nor cancels.</summary>
    public Tensor Softplus() => Map(new SoftplusOperator());

    /// <summary>Values clamped to [low, high]; no gradient flows where a value was clamped (TensorFlow's clip_by_value).</summary>
    public Tensor Clip(float low, float high) => Map(new ClipOperator(low, high));

    /// <summary>
    /// One-hot rows of integer class labels (stored as floats): shape = the labels' shape (a trailing axis of 1 dropped) +
    /// (classes). Not differentiable (labels are data); a label outside [0, classes) is an error.
    /// </summary>
    public static Tensor OneHot(Tensor labels, int classes)
    {
        int[] shape = labels.Rank > 1 && labels.Dim(-1) == 1 ? labels.ShapeArray[..^1] : labels.ShapeArray;
        var hot = Create([.. shape, classes], labels.Device, clear: false);
        labels.Backend.OneHot(labels.Data, classes, hot.Data);
        return hot;
    }

    /// <summary>Softmax over the last axis.</summary>
    public Tensor Softmax() => SoftmaxOp.Apply(this);

    /// <summary>Softmax over <paramref name="axis"/> (negative counts from the end): the values along it sum to 1.</summary>
    public Tensor Softmax(int axis) => SoftmaxOp.Apply(this, axis);

    /// <summary>The capsule squash along <paramref name="axis"/>: ‖s‖²/(1 + ‖s‖²)·s/‖s‖, exactly 0 (value and gradient) at s = 0.</summary>
    public Tensor Squash(int axis = -1) => SquashOp.Apply(this, axis);

    /// <summary>The Euclidean length along <paramref name="axis"/>, which is removed; its gradient at the zero vector is 0.</summary>
    public Tensor VectorNorm(int axis = -1) => VectorNormOp.Apply(this, axis);

    /// <summary>
    /// The index of the largest value along <paramref name="axis"/> (the first on ties), as numbers, with the axis removed.
    /// Not differentiable: the result is data, as labels are.
    /// </summary>
    public Tensor ArgMax(int axis = -1)
    {
        var split = AxisSplit.Of(this, axis);
        var shape = ShapeArray.ToList();
        shape.RemoveAt(split.Index);
        var y = Create([.. shape], Device, clear: false);
        Backend.ArgMax(Data, split.Outer, split.Axis, split.Inner, y.Data);
        return y;
    }

    /// <summary>The same values, with no gradient flowing back through them (TensorFlow's <c>stop_gradient</c>; shares storage).</summary>
    public Tensor StopGradient() => Detach();

    /// <summary>
    /// A batch of matrix products: (batch, m, k)·(batch, k, n) → (batch, m, n), either operand transposed (its last two
    /// axes) on request.
    /// </summary>
    public Tensor BatchMatMul(Tensor other, bool transposeThis = false, bool transposeOther = false) =>
        BatchMatMulOp.Apply(this, other, transposeThis, transposeOther);

    /// <summary>
    /// Capsule prediction vectors from this (N, I, K) children and the transforms <paramref name="weights"/> (I, J, D, K):
    /// û[n, j, i, :] = W[i, j]·u[n, i], of shape (N, J, I, D).
    /// </summary>
    public Tensor CapsulePredictions(Tensor weights) => CapsulePredictionOp.Apply(this, weights);

    /// <summary>Log-softmax over the last axis.</summary>
    public Tensor LogSoftmax() => LogSoftmaxOp.Apply(this);

    /// <summary>Sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDims = false) => SumOp.Apply(this, axis, keepDims, 1f);

    /// <summary>Sum of all elements, as a scalar.</summary>
    public Tensor Sum() => SumOp.Apply(Reshape(Length), 0, false, 1f);

    /// <summary>Mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDims = false) => SumOp.Apply(this, axis, keepDims, 1f / Dim(axis));

    /// <summary>Mean of all elements, as a scalar.</summary>
    public Tensor Mean() => SumOp.Apply(Reshape(Length), 0, false, 1f / Math.Max(1, Length));

    /// <summary>2-D convolution of this (N, H, W, C) with weights (KH, KW, C, OC) and an optional bias (OC).</summary>
    public Tensor Conv2D(Tensor weights, Tensor? bias = null, int stride = 1, Padding padding = Padding.Valid, int dilation = 1) =>
        Conv2DOp.Apply(this, weights, bias, (stride, stride), padding, (dilation, dilation));

    /// <summary>2-D convolution with separate vertical and horizontal strides and dilations; <paramref name="relu"/> fuses a ReLU.</summary>
    public Tensor Conv2D(Tensor weights, Tensor? bias, (int H, int W) strides, Padding padding, (int H, int W) dilation, bool relu = false) =>
        Conv2DOp.Apply(this, weights, bias, strides, padding, dilation, relu);

    /// <summary>Max pooling; strides default to the pool size, as in Keras.</summary>
    public Tensor MaxPool2D(int pool = 2, int? stride = null, Padding padding = Padding.Valid) =>
        MaxPool2DOp.Apply(this, (pool, pool), (stride ?? pool, stride ?? pool), padding);

    /// <summary>Average pooling; strides default to the pool size.</summary>
    public Tensor AvgPool2D(int pool = 2, int? stride = null, Padding padding = Padding.Valid) =>
        AvgPool2DOp.Apply(this, (pool, pool), (stride ?? pool, stride ?? pool), padding);

    /// <summary>Max pooling with (rows, columns) windows and strides.</summary>
    public Tensor MaxPool2D((int H, int W) pool, (int H, int W) strides, Padding padding = Padding.Valid) => MaxPool2DOp.Apply(this, pool, strides, padding);

    /// <summary>Max pooling with explicit pads (top, bottom, left, right), which no window counts (PyTorch's and ONNX's padding).</summary>
    public Tensor MaxPool2D((int H, int W) pool, (int H, int W) strides, (int Top, int Bottom, int Left, int Right) pads) => MaxPool2DOp.Apply(this, pool, strides, Padding.Valid, pads);

    /// <summary>Average pooling with (rows, columns) windows and strides.</summary>
    public Tensor AvgPool2D((int H, int W) pool, (int H, int W) strides, Padding padding = Padding.Valid) => AvgPool2DOp.Apply(this, pool, strides, padding);

    /// <summary>Average pooling with explicit pads (top, bottom, left, right), excluded from each mean (count_include_pad = 0).</summary>
    public Tensor AvgPool2D((int H, int W) pool, (int H, int W) strides, (int Top, int Bottom, int Left, int Right) pads) => AvgPool2DOp.Apply(this, pool, strides, Padding.Valid, pads);

    /// <summary>Mean over H and W of (N, H, W, C), giving (N, C).</summary>
    public Tensor GlobalAvgPool2D() => GlobalAvgPool2DOp.Apply(this);

    /// <summary>Maximum over H and W of (N, H, W, C), giving (N, C): max pooling with one window the size of the map.</summary>
    public Tensor GlobalMaxPool2D()
    {
        if (Rank != 4) throw new ArgumentException($"GlobalMaxPooling2D needs an input of shape (N, H, W, C), got {ShapeText.Of(_shape)}.");
        return MaxPool2DOp.Apply(this, (Dim(1), Dim(2)), (Dim(1), Dim(2)), Padding.Valid).Reshape(Dim(0), Dim(3));
    }

    /// <summary>Inverted dropout with the given rate; the mask is the counter-based stream of <paramref name="seed"/>.</summary>
    public Tensor Dropout(float rate, ulong seed) => DropoutOp.Apply(this, rate, seed);

    /// <summary>Inverted dropout with the given rate, the mask's seed drawn from <paramref name="random"/>.</summary>
    public Tensor Dropout(float rate, Random random) => DropoutOp.Apply(this, rate, (ulong)random.NextInt64());

    /// <summary>Columns [start, start + count) of the last axis (differentiable; the inverse of <see cref="Concat"/>).</summary>
    public Tensor Columns(int start, int count) => ColumnsOp.Apply(this, start, count);

    /// <summary>Concatenation along the last axis.</summary>
    public static Tensor Concat(params Tensor[] inputs) => ConcatOp.Apply(inputs);

    /// <summary>Nearest-neighbour upsampling of (N, H, W, C) to (N, H·sh, W·sw, C).</summary>
    public Tensor UpSample2D(int scaleHeight = 2, int scaleWidth = 2) => UpSampling2DOp.Apply(this, scaleHeight, scaleWidth);

    /// <summary>(N, H, W, C) resized to (N, height, width, C) by nearest neighbour, as PyTorch's <c>interpolate(size=…, mode="nearest")</c>.</summary>
    public Tensor ResizeNearest(int height, int width) => ResizeNearestOp.Apply(this, height, width);

    /// <summary>(N, H, W, C) → (N, H·sh, W·sw, C), bilinear with half-pixel centres (Keras's UpSampling2D "bilinear", PyTorch's align_corners=False).</summary>
    public Tensor UpSample2DBilinear(int scaleHeight = 2, int scaleWidth = 2) => UpSampling2DOp.Apply(this, scaleHeight, scaleWidth, bilinear: true);

    /// <summary>Zero padding of (N, H, W, C).</summary>
    public Tensor ZeroPad2D(int top, int bottom, int left, int right) => ZeroPad2DOp.Apply(this, top, bottom, left, right);

    /// <summary>(N, H, W, C) without <paramref name="top"/>/<paramref name="bottom"/> rows and <paramref name="left"/>/<paramref name="right"/> columns: Keras's Cropping2D, the adjoint of <see cref="ZeroPad2D"/>.</summary>
    public Tensor Crop2D(int top, int bottom, int left, int right) => Crop2DOp.Apply(this, top, bottom, left, right);

    /// <summary>The full transposed convolution with a (KH, KW, filters, C) kernel: (N, (H−1)·s + k, (W−1)·s + k, filters), the adjoint of Conv2D.</summary>
    public Tensor ConvTranspose2D(Tensor kernel, (int H, int W) strides, (int H, int W) dilation) => ConvTranspose2DOp.Apply(this, kernel, strides, dilation);
}
