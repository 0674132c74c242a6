using Grela.Host;
using TorchSharp;

namespace Grela.Tests.Host;

public class NativeAllocatorTests
{
    [Fact]
    public void Keep_freed_memory_applies_on_linux_and_tensors_still_allocate()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeAllocator.KeepFreedMemory());
        Assert.Equal(OperatingSystem.IsLinux(), NativeAllocator.KeepFreedMemory());   // idempotent
        using var big = torch.ones(20_000_000);                                     // 80 MB: past glibc's mmap threshold
        Assert.Equal(20_000_000.0, big.sum().item<float>());
    }
}
