namespace Grela.Tests.Training;

/// <summary>
/// Tests that train: they seed and draw from libtorch's process-global RNG and set its thread count,
/// so they must not run beside any other test collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSerial
{
    public const string Name = "torch-global-state";
}
