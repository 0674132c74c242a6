using System.Runtime.CompilerServices;

namespace Grela.Generators.Tests;

/// <summary>
/// Compares generated text with checked-in approved files under Snapshots/. On a difference it writes
/// the new text to a <c>.received</c> file beside the approved one and fails. Set the environment
/// variable <c>GRELA_APPROVE=1</c> to (re)write the approved files instead.
/// </summary>
internal static class Snapshots
{
    public const string ApproveVariable = "GRELA_APPROVE";

    public static void Verify(string name, string actual, [CallerFilePath] string caller = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, "Snapshots");
        var approved = Path.Combine(folder, name + ".approved.txt");
        var received = Path.Combine(folder, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(approved, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        var expected = File.Exists(approved) ? File.ReadAllText(approved).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No approved snapshot {approved}; the output is in {received}. Review it, then run with {ApproveVariable}=1."
            : $"Snapshot {name} differs from {approved} at line {FirstDifference(expected, actual)}; the output is in {received}. "
              + $"If the change is intended, run with {ApproveVariable}=1.");
    }

    private static int FirstDifference(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++) if (x[i] != y[i]) return i + 1;
        return Math.Min(x.Length, y.Length) + 1;
    }
}
