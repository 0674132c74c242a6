using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Grela.Cli.Bench;

namespace Grela.Tests.Hardening;

/// <summary>
/// Issue 10: hostile inputs handled by a real grela process whose address space is capped
/// (prlimit --as 6 GB, GC heap 512 MB), so a regression that sizes memory from a file fails
/// here, inside the cap, instead of exhausting the test machine.
/// </summary>
public sealed class CappedChildProcessTests : IDisposable
{
    private const long AddressSpace = 6_000_000_000;
    private readonly string _root = Directory.CreateTempSubdirectory("grela-capped-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Err) Grela(params string[] args)
    {
        var info = new ProcessStartInfo("prlimit") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x20000000";
        foreach (var a in new[] { $"--as={AddressSpace}", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", typeof(BenchFiles).Assembly.Location })
            info.ArgumentList.Add(a);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"grela {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stderr.Result);
    }

    [Fact]
    public void Hostile_inputs_are_exit_2_inside_a_memory_cap()
    {
        var json = Encoding.UTF8.GetBytes("{\"item_embedding.weight\":{\"dtype\":\"F32\",\"shape\":[3000000000,0],\"data_offsets\":[0,0]}," +
                                          "\"GRELA_block.0.attn.rope.rotations\":{\"dtype\":\"F32\",\"shape\":[2000000000,0],\"data_offsets\":[0,0]}}");
        var safetensors = Path.Combine(_root, "claims.safetensors");
        File.WriteAllBytes(safetensors, [.. BitConverter.GetBytes((ulong)json.Length), .. json]);
        var bomb = Path.Combine(_root, "bomb.pt");
        using (var zip = ZipFile.Open(bomb, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 200; i++) // 200 MB inflated, far past the 16 MiB cap
                stream.Write(zeros);
        }
        var cases = new[]
        {
            (new[] { "import", "--weights", safetensors, "--out", Path.Combine(_root, "a") }, safetensors),
            (new[] { "import", "--weights", bomb, "--out", Path.Combine(_root, "b") }, bomb),
            (new[] { "train", "--config", "/dev/zero" }, "/dev/zero"),
            (new[] { "train", "--data", "/dev/urandom" }, "/dev/urandom"),
        };
        foreach (var (args, file) in cases)
        {
            var (code, err) = Grela(args);
            Assert.True(code == 2, $"grela {string.Join(' ', args)}: exit {code}\n{err}");
            Assert.Contains(file, err);
            Assert.DoesNotContain("Exception", err);
        }
    }
}
