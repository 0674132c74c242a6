using System.Runtime.InteropServices;
using Grela.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Training;

/// <summary>The device a run uses and a sentence about how it was chosen (shown to the user).</summary>
public sealed record DeviceChoice(Device Device, string Note);

/// <summary>
/// The one place where Grela decides which device tensors live on and how many CPU threads kernels
/// use. The CUDA backend is a build-time choice (MSBuild property GrelaBackend=cuda); this code only
/// asks libtorch what it can see.
/// </summary>
public static class DeviceSelection
{
    /// <summary>
    /// Makes libtorch's OpenMP threads sleep instead of spin while they wait, unless the user set
    /// OMP_WAIT_POLICY. Spinning threads on a machine shared with other work made training 3-4x
    /// slower in wall time (measured: 2 synthetic epochs took 106 s spinning, 25 s passive, same
    /// losses). Must run before libtorch loads (first thing in Main): OpenMP reads the variable once,
    /// from the native environment, which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// does not change on Unix. Returns whether the policy was set.
    /// </summary>
    public static bool PreferPassiveThreadWaits()
    {
        const string name = "OMP_WAIT_POLICY";
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(name) is not null)
            return false;
        try
        {
            return SetEnv(name, "PASSIVE", 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);

    /// <summary>Whether libtorch sees a usable CUDA GPU (false when the CPU backend is loaded).</summary>
    public static bool CudaUsable()
    {
        try
        {
            return torch.cuda.is_available() && torch.cuda.device_count() > 0;
        }
        catch (Exception)
        {
            // The CPU-only backend may throw instead of answering false.
            return false;
        }
    }

    /// <summary>
    /// Resolves "auto" | "cpu" | "cuda". cuda without a usable GPU is a user error that names the fix;
    /// auto falls back to CPU and says so.
    /// </summary>
    public static DeviceChoice Select(string requested, Func<bool>? cudaUsable = null)
    {
        var usable = (cudaUsable ?? CudaUsable)();
        return requested switch
        {
            "cpu" => new DeviceChoice(CPU, "device: cpu (as requested)"),
            "cuda" when usable => new DeviceChoice(CUDA, "device: cuda:0 (as requested)"),
            "cuda" => throw new UserInputException(
                "--device cuda: no usable CUDA GPU. This build uses the CPU libtorch backend unless built with " +
                "-p:GrelaBackend=cuda (needs the TorchSharp-cuda-linux package and an NVIDIA driver); use --device cpu or auto."),
            "auto" when usable => new DeviceChoice(CUDA, "device: cuda:0 (auto: a CUDA GPU is available)"),
            "auto" => new DeviceChoice(CPU, "device: cpu (auto: no usable CUDA GPU, falling back to CPU)"),
            _ => throw new UserInputException($"--device: expected auto|cpu|cuda, got \"{requested}\""),
        };
    }

    /// <summary>Applies --threads (0 keeps libtorch's default) and returns the thread count in use.</summary>
    public static int ApplyThreads(int threads)
    {
        if (threads > 0)
            torch.set_num_threads(threads);
        return torch.get_num_threads();
    }
}
