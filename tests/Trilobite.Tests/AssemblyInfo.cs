// Tests set process-wide state (RandomSeed.Global, KernelThreads.Count): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
