using Trilobite.Zoo;

namespace Trilobite.Tests.Models;

/// <summary>Predict holds no shared mutable state: many threads at once give exactly the sequential results (the server relies on it).</summary>
public class ConcurrentPredictTests
{
    [Fact]
    public void Parallel_callers_get_the_sequential_results()
    {
        RandomSeed.Set(5);
        var models = new Model[] { LeNetKeras.Build(), SmallResNet.Build() };
        foreach (var model in models)
        {
            var inputs = Enumerable.Range(0, 16).Select(i => Tensor.Uniform([1 + i % 3, 28, 28, 1], 0, 1, i)).ToArray();
            var sequential = inputs.Select(x => model.Predict(x).ToArray()).ToArray();
            var parallel = new float[inputs.Length][];
            Parallel.For(0, inputs.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
            {
                int i = k % inputs.Length;
                var y = model.Predict(inputs[i]).ToArray();
                lock (parallel) parallel[i] = y;
                Assert.Equal(sequential[i], y);
            });
            for (int i = 0; i < inputs.Length; i++) Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
