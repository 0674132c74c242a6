using System.Runtime.InteropServices;

namespace Grela.Host;

/// <summary>
/// Process-wide tuning of the C heap that libtorch's CPU tensors live in. By default glibc serves
/// every block above 32 MB (and, after a trim, smaller ones too) with a fresh mmap and unmaps it on
/// free, so each training step page-faults its large activations and logits back in: the kernel
/// then spends as much time zeroing pages as the model spends computing (sys time ~ user time).
/// Keeping freed memory in the heap removes that; the cost is that RSS stays at the high-water mark
/// instead of shrinking between steps, and fragmentation raises that mark: +10-20% at RecGRELA
/// micro-batches of 64-256 windows, but a global-mode batch of 2,048 windows went from 13 GB to
/// past 16 GB. Meant for bounded (micro-)batches. Call once at program start (the CLI's training
/// and benchmark commands); a library never calls it on its own.
/// </summary>
public static class NativeAllocator
{
    const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    const int MmapMax = -4;         // M_MMAP_MAX

    /// <summary>
    /// Serves large blocks from the heap and never trims it (glibc's M_MMAP_MAX = 0, M_TRIM_THRESHOLD
    /// = max). Returns false where it does not apply (not Linux, or a C library without mallopt).
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);
}
