using System.Runtime.InteropServices;

namespace Grela.Host;

/// <summary>
/// How libtorch's OpenMP worker threads wait between parallel regions. By default they spin. When
/// the machine has more runnable threads than cores (another job, or a second model), the spinning
/// workers take the cores from the thread that has the work, and each of the thousands of regions
/// in a training step ends by waiting a scheduler slice for a descheduled worker. Measured on the
/// 2-core machine with another 2-thread training running: a RecGRELA global-mode step (B 128) took
/// 5.8 s with 2 threads spinning, 1.0 s with 2 threads waiting passively, 1.1 s with 1 thread.
/// Passive waiting costs a futex wake per region on an idle machine.
/// </summary>
public static class OpenMpWait
{
    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE in the native environment unless it is already set. libgomp
    /// reads it once, when libtorch is loaded: call it first thing in Main, before any TorchSharp
    /// call (.NET's Environment.SetEnvironmentVariable does not reach the native environment).
    /// Returns whether the native environment now holds a wait policy (false off Linux/macOS).
    /// </summary>
    public static bool PreferPassive()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        try
        {
            return setenv("OMP_WAIT_POLICY", "PASSIVE", 0) == 0 && getenv("OMP_WAIT_POLICY") != IntPtr.Zero;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr getenv(string name);
}
