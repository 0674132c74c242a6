using System.Buffers.Binary;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grela.Cli.Shell;
using Grela.Data;
using Grela.Errors;
using Grela.Runs;
using Grela.Tests.Cli;
using Grela.Tests.Training;

namespace Grela.Tests.Hardening;

/// <summary>Seed files for the fuzz suite: one valid input per reader, in a private temp folder.</summary>
public sealed class FuzzSeeds : IDisposable
{
    public static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints", "recgrela-2026-12");

    public FuzzSeeds()
    {
        Root = Directory.CreateTempSubdirectory("grela-fuzz-").FullName;
        var random = new Random(7);
        Interactions = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 30)
            .Select(u => $"u{u} " + string.Join(' ', Enumerable.Range(0, 8).Select(_ => $"i{random.Next(12)}")))) + "\n");
        Yaml = "epochs: 2\nbatch_size: 16\nlr: 0.01\nattention: global\n# a comment\ndim: 32\n"u8.ToArray();
        Json = "{\"epochs\": 2, \"batch-size\": 16, \"lr\": 0.01, \"attention\": \"global\", \"dim\": 32}"u8.ToArray();
        Safetensors = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", "recgrela-small.safetensors"));
        Checkpoint = File.ReadAllBytes(Path.Combine(Fixture, "best.ckpt"));
        var pt = Path.Combine(Root, "seed.pt");
        var export = CliHarness.Run("export", "--run", Fixture, "--format", "pt", "--out", pt);
        if (export.ExitCode != 0)
            throw new InvalidOperationException(export.ToString());
        Pt = File.ReadAllBytes(pt);
    }

    public string Root { get; }
    public byte[] Interactions { get; }
    public byte[] Yaml { get; }
    public byte[] Json { get; }
    public byte[] Safetensors { get; }
    public byte[] Pt { get; }
    public byte[] Checkpoint { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Issue 10's fuzz suite: FsCheck-generated mutations (byte flips, truncation, insertion,
/// duplication, replacement) of a valid input for every reader. Each reader either accepts the
/// input or refuses it as a user error (exit 2) whose message names the file and no .NET exception,
/// with the process's memory bounded. Iteration counts are small so the suite stays quick.
/// </summary>
[Collection(TorchSerial.Name)]
public sealed class FuzzTests(FuzzSeeds seeds) : IClassFixture<FuzzSeeds>
{
    /// <summary>Working set allowed after any one case (the test process itself holds libtorch).</summary>
    private const long MemoryBound = 4L << 30;

    /// <summary>One of five mutations of <paramref name="seed"/>, chosen and placed by the generated numbers.</summary>
    public static byte[] Mutate(byte[] seed, int choice, int position, byte[] noise)
    {
        noise = noise is { Length: > 0 } ? noise : [0xFF];
        var at = (int)((uint)position % (uint)(seed.Length + 1));
        switch ((uint)choice % 5)
        {
            case 0: // flip bytes
                var flipped = (byte[])seed.Clone();
                for (var i = 0; i < noise.Length && flipped.Length > 0; i++)
                    flipped[(at + i * 7919) % flipped.Length] ^= noise[i] == 0 ? (byte)0x80 : noise[i];
                return flipped;
            case 1: // truncate
                return seed[..at];
            case 2: // insert
                return [.. seed[..at], .. noise, .. seed[at..]];
            case 3: // duplicate a range
                var length = Math.Min(noise.Length * 16, seed.Length - at);
                return [.. seed[..(at + length)], .. seed[at..(at + length)], .. seed[(at + length)..]];
            default: // replace the tail with noise
                return [.. seed[..at], .. noise];
        }
    }

    private string Write(byte[] bytes, string extension)
    {
        var path = Path.Combine(seeds.Root, $"case-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static Property Clean(Func<string?> run, string path)
    {
        string? message;
        try
        {
            message = run();
        }
        catch (UserInputException e)
        {
            message = e.Message;
        }
        catch (Exception e)
        {
            return false.Label($"{path}: {e.GetType().Name}: {e.Message}");
        }
        var memory = Environment.WorkingSet;
        return (message is null || (message.Contains(path) && !message.Contains("Exception") && !message.Contains("   at ")))
            .Label($"message: {message}")
            .And((memory < MemoryBound).Label($"working set {memory:N0} bytes"));
    }

    private static Property Cli(CliResult result, string path) =>
        (result.ExitCode is 0 or 2).Label(result.ToString())
            .And((result.ExitCode == 0 || (result.Err.Contains(path) && !result.Err.Contains("Exception") && !result.Err.Contains("   at "))).Label(result.ToString()))
            .And((Environment.WorkingSet < MemoryBound).Label($"working set {Environment.WorkingSet:N0}"));

    [Property(MaxTest = 150)]
    public Property Interaction_files(int choice, int position, byte[] noise)
    {
        var path = Write(Mutate(seeds.Interactions, choice, position, noise), ".txt");
        return Clean(() => { DatasetLoader.Load(path); return null; }, path);
    }

    [Property(MaxTest = 150)]
    public Property Yaml_configs(int choice, int position, byte[] noise) => Config(Mutate(seeds.Yaml, choice, position, noise), ".yaml");

    [Property(MaxTest = 150)]
    public Property Json_configs(int choice, int position, byte[] noise) => Config(Mutate(seeds.Json, choice, position, noise), ".json");

    private Property Config(byte[] bytes, string extension)
    {
        var path = Write(bytes, extension);
        return Clean(() =>
        {
            var source = ConfigFileReader.Read(path);
            return ConfigResolution.Resolve(new TrainingConfig(), source).Match(_ => "", errors => string.Join("\n", errors)) is { Length: > 0 } errors ? errors : null;
        }, path);
    }

    [Property(MaxTest = 150)]
    public Property Safetensors_weights(int choice, int position, byte[] noise)
    {
        var path = Write(Mutate(seeds.Safetensors, choice, position, noise), ".safetensors");
        return Cli(CliHarness.Run("import", "--weights", path, "--heads", "2", "--out", path + ".run"), path);
    }

    [Property(MaxTest = 150)]
    public Property Pt_weights(int choice, int position, byte[] noise)
    {
        var path = Write(Mutate(seeds.Pt, choice, position, noise), ".pt");
        return Cli(CliHarness.Run("import", "--weights", path, "--heads", "2", "--out", path + ".run"), path);
    }

    [Property(MaxTest = 100)]
    public Property Checkpoint_bytes(int choice, int position, byte[] noise)
    {
        var path = Write(Mutate(seeds.Checkpoint, choice, position, noise), ".ckpt");
        return Clean(() => { CheckpointFile.Read(path).RequirePlausibleSize(path); return null; }, path);
    }

    /// <summary>Header mutations behind a valid checksum: what a forger (not a disk error) produces.</summary>
    [Property(MaxTest = 100)]
    public Property Checkpoint_headers_with_valid_checksums(int choice, int position, byte[] noise)
    {
        var content = ForgedCheckpoint.WithHeader(seeds.Checkpoint, header => Mutate(header, choice, position, noise));
        var folder = Path.Combine(seeds.Root, $"run-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "best.ckpt");
        File.WriteAllBytes(path, content);
        var result = CliHarness.Run("recommend", "--run", folder, "--history", "1 2 3", "--top", "3", "--json");
        // A header mutation may leave the file loadable (a changed name or number): then it must work.
        return Cli(result, path);
    }
}
