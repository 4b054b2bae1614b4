namespace Trilobite.Bench.Workloads;

/// <summary>One benchmark the dispatcher in Program.cs can run by name.</summary>
public interface IWorkload
{
    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and prints its results; a throughput result goes last, as "GFLOP/s: N".</summary>
    void Run(BenchOptions options);
}
