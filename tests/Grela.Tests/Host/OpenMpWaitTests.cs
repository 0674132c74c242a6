using System.Runtime.InteropServices;
using Grela.Host;

namespace Grela.Tests.Host;

public class OpenMpWaitTests
{
    [Fact]
    public void Prefer_passive_puts_a_wait_policy_in_the_native_environment()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(OpenMpWait.PreferPassive());
        var value = Marshal.PtrToStringAnsi(getenv("OMP_WAIT_POLICY"));
        // PASSIVE, unless whoever started the tests chose a policy (which is then kept).
        var preset = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        Assert.Equal(preset ?? "PASSIVE", value);
    }

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr getenv(string name);
}
