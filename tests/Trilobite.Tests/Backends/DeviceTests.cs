using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Backends;

/// <summary>Choosing a device: tensors and models move explicitly, mixing is a clear error, the default comes from TRILOBITE_DEVICE.</summary>
public class DeviceTests
{
    [Fact]
    public void DevicesAreFoundByNameAndUnknownNamesListTheKnownOnes()
    {
        Assert.Same(Device.Cpu, Device.Parse("cpu"));
        Assert.Same(Device.Reference, Device.Parse(" Reference "));
        var ex = Assert.Throws<ArgumentException>(() => Device.Parse("gpu"));
        Assert.Equal("Unknown device 'gpu'. Known: cpu, reference.", ex.Message);
        Assert.Same(Device.Cpu, Device.FromEnvironment(null));
        Assert.Same(Device.Reference, Device.FromEnvironment("reference"));
        var env = Assert.Throws<InvalidOperationException>(() => Device.FromEnvironment("cuda"));
        Assert.Equal("TRILOBITE_DEVICE is 'cuda', but the devices are: cpu, reference.", env.Message);
        Assert.Throws<ArgumentException>(() => Device.Register(new Device("CPU", d => Device.Cpu.Backend)));
    }

    [Fact]
    public void TensorsMoveExplicitlyAndHostAccessIsOnlyForHostTensors()
    {
        var cpu = Tensor.FromArray([1, 2, 3, 4, 5, 6], [2, 3], Device.Cpu);
        Assert.Same(cpu, cpu.To(Device.Cpu));
        var reference = cpu.To(Device.Reference);
        Assert.Equal(Device.Reference, reference.Device);
        Assert.Equal(cpu.ToArray(), reference.ToArray());
        Assert.Equal(6f, reference[1, 2]);
        reference[0, 0] = 1.0f / 3;
        Assert.Equal(1.0f / 3, reference.ToArray()[0]);
        var ex = Assert.Throws<InvalidOperationException>(() => reference.Span.Length);
        Assert.Contains("on reference", ex.Message);
        Assert.Contains("ToArray()", ex.Message);
        Assert.StartsWith("Tensor(2, 3) on reference [[0.33333, 2, 3], [4, 5, 6]]", reference.ToString());
        Assert.Equal(cpu.ToArray()[1..], reference.To(Device.Cpu).ToArray()[1..]);
    }

    [Fact]
    public void MixingDevicesInOneOperationNamesBoth()
    {
        var a = Tensor.Ones([2, 3], Device.Cpu);
        var b = Tensor.Ones([2, 3], Device.Reference);
        var ex = Assert.Throws<InvalidOperationException>(() => a + b);
        Assert.Equal("Add: operands are on different devices: a (2, 3) tensor on cpu and a (2, 3) tensor on reference. Move one with .To(Device.Reference) or put the model on one device with model.To(...).", ex.Message);
        var model = new Sequential(new Dense(2, inputShape: [3]));
        model.To(Device.Reference);
        var forward = Assert.Throws<InvalidOperationException>(() => model.Forward(a));
        Assert.Contains("MatMul", forward.Message);
        Assert.Contains("cpu", forward.Message);
        Assert.Contains("reference", forward.Message);
    }

    [Fact]
    public void AModelMovesWithItsWeightsAndOptimizerStateAndKeepsTraining()
    {
        RandomSeed.Set(3);
        var model = new Sequential(new Dense(8, activation: Activation.ReLU, inputShape: [4]), new Dense(2, activation: Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01));
        var x = Tensor.Uniform([16, 4], -1, 1, 1, Device.Cpu);
        var y = Tensor.FromArray(Enumerable.Range(0, 32).Select(i => (float)(i % 2)).ToArray(), [16, 2], Device.Cpu);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        var before = model.Predict(x).ToArray();
        Assert.Same(model, model.To(Device.Reference));
        Assert.All(model.Weights, w => Assert.Equal(Device.Reference, w.Value.Device));
        Assert.Equal(Device.Reference, model.Device);
        Backends.BackendTesting.Agree(before.Select(v => (double)v).ToArray(), model.Predict(x).ToDoubleArray(), 1e-6, 1e-5, "after the move");
        Assert.Equal(Device.Cpu, model.Predict(x).Device);   // Predict answers on the host, as Keras answers with NumPy arrays
        var history = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, initialEpoch: 1);
        Assert.True(double.IsFinite(history["loss"][0]));
        model.To(Device.Cpu);
        Assert.All(model.Weights, w => Assert.Equal(Device.Cpu, w.Value.Device));
    }

    [Fact]
    public void NewModelsAndTensorsUseTheDefaultDevice()
    {
        using (DefaultDevice.Use(Device.Reference))
        {
            Assert.Equal(Device.Reference, Tensor.Zeros(2).Device);
            var model = new Sequential(new Dense(2, inputShape: [3]));
            Assert.Equal(Device.Reference, model.Weights[0].Value.Device);
        }
        Assert.Equal(Device.Cpu, Tensor.Zeros(2).Device);
    }

    [Fact]
    public void ASummaryDrawsNoWeightsAndWeightsAreDrawnOnce()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var vgg = Vgg16.Build();
        string summary = vgg.SummaryText();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("Total params: 138,357,544", summary);
        Assert.All(vgg.Weights, w => Assert.False(w.IsMaterialized));
        Assert.True(allocated < 20 << 20, $"building and summarising VGG-16 allocated {allocated >> 20} MiB (its weights are 528 MiB)");

        var counting = new CountingInitializer();
        var model = new Sequential(new Dense(3, kernelInitializer: counting, inputShape: [2]), new Dense(2, kernelInitializer: counting));
        model.Reinitialize(5);
        Assert.Equal(0, counting.Fills);
        model.Compile(Loss.MeanSquaredError, new SGD(0.1));
        model.Fit(Tensor.Ones([4, 2], Device.Cpu), Tensor.Zeros([4, 2], Device.Cpu), batchSize: 2, epochs: 2, verbose: 0);
        Assert.Equal(2, counting.Fills);   // each kernel once, on first use
    }

    private sealed class CountingInitializer : Initializers.Initializer
    {
        public int Fills { get; private set; }
        public override string Name => "glorot_uniform";

        public override void Fill(Tensor weight, ulong seed)
        {
            Fills++;
            GlorotUniform.Fill(weight, seed);
        }
    }

    [Fact]
    public void TheProfilerCostsNoAllocationWhenOff()
    {
        Trilobite.Autograd.OpProfiler.Enabled = false;
        var x = Tensor.Ones([4, 3], Device.Cpu);
        x.RequiresGrad = true;
        var y = x.Tanh();
        var op = y.Creator!;
        var layer = new Dense(2);
        Trilobite.Autograd.OpProfiler.StopBackward(op, Trilobite.Autograd.OpProfiler.Start());   // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Trilobite.Autograd.OpProfiler.StopBackward(op, Trilobite.Autograd.OpProfiler.Start());
            Trilobite.Autograd.OpProfiler.StopForward(layer, y, Trilobite.Autograd.OpProfiler.Start());
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
