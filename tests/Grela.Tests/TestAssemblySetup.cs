using System.Runtime.CompilerServices;
using TorchSharp;

// libtorch's random generator is one per process: a test class that seeds it and then builds a model
// must not have another class draw from it in between (MicroBatchingTests failed that way once in
// CI, its two "identical" models initialised differently). Test classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Grela.Tests;

/// <summary>
/// The suite's tensors are tiny, and several tests run servers or child processes beside the test
/// host: libtorch's own thread pool on top of that oversubscribes a small machine and makes test
/// time erratic (a 1 s test took up to 24 s at load 10+). One intra-op thread keeps it stable.
/// </summary>
internal static class TestAssemblySetup
{
    [ModuleInitializer]
    internal static void OneTorchThreadPerTest() => torch.set_num_threads(1);
}
