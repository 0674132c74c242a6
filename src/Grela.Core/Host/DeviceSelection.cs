using Grela.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Host;

/// <summary>The device a run uses and a sentence about how it was chosen (shown to the user).</summary>
public sealed record DeviceChoice(Device Device, string Note);

/// <summary>
/// The one place where Grela decides which device tensors live on and how many CPU threads kernels
/// use. The CUDA backend is a build-time choice (MSBuild property GrelaBackend=cuda); this code only
/// asks libtorch what it can see.
/// </summary>
public static class DeviceSelection
{
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
                "'device' cuda: no usable CUDA GPU. This build uses the CPU libtorch backend unless built with " +
                "-p:GrelaBackend=cuda (needs the TorchSharp-cuda-linux package and an NVIDIA driver); set 'device' to cpu or auto."),
            "auto" when usable => new DeviceChoice(CUDA, "device: cuda:0 (auto: a CUDA GPU is available)"),
            "auto" => new DeviceChoice(CPU, "device: cpu (auto: no usable CUDA GPU, falling back to CPU)"),
            _ => throw new UserInputException($"'device': expected auto|cpu|cuda, got \"{requested}\""),
        };
    }

    /// <summary>Applies the `threads` key (0 keeps libtorch's default) and returns the thread count in use.</summary>
    public static int ApplyThreads(int threads)
    {
        if (threads > 0)
            torch.set_num_threads(threads);
        return torch.get_num_threads();
    }
}
