using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>
/// Tests that compare exact numbers across trainings. libtorch's RNG and thread count are
/// process-wide, so these run alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Torch global state";
}
