namespace Grela.Cli.Shell;

/// <summary>
/// Ends the process at once with an exact status, from any thread. Environment.Exit runs the
/// runtime's shutdown and then the C library's exit handlers, libtorch's among them, while another
/// thread may be inside a libtorch kernel: that thread then finds the operator registry gone and
/// aborts with a native trace and status 134. _exit skips all of that.
/// </summary>
public static class ImmediateExit
{
    /// <summary>Flushes the console writers, then ends the process with <paramref name="code"/>.</summary>
    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                _exit(code);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }
        Environment.Exit(code);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    private static extern void _exit(int status);
}
