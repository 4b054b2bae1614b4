namespace Trilobite.Kernels.Tests;

/// <summary>Tests that change <see cref="KernelThreads.Count"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelThreadsCollection
{
    public const string Name = "KernelThreads";
}
