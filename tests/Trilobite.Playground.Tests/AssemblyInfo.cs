// The tests share process-wide state (the kernel thread pool, RandomSeed.Global) and two cores:
// one test class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
