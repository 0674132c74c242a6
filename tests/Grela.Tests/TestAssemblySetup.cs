using System.Runtime.CompilerServices;
using TorchSharp;

namespace Grela.Tests;

/// <summary>
/// xunit runs test classes in parallel; libtorch's own thread pool on top of that oversubscribes a
/// small machine and makes test time erratic (a 1 s test took up to 24 s at load 10+). One intra-op
/// thread per test keeps the suite fast and its timing stable.
/// </summary>
internal static class TestAssemblySetup
{
    [ModuleInitializer]
    internal static void OneTorchThreadPerTest() => torch.set_num_threads(1);
}
