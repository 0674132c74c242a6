using Grela.Cli.Runs;
using Grela.Runs;

namespace Grela.Tests.Hardening;

/// <summary>Copies of a trained run folder with one file rewritten, as a hostile or careless user would.</summary>
internal static class ForgedRun
{
    /// <summary>Copies every file of <paramref name="source"/> into a fresh folder under <paramref name="root"/>.</summary>
    public static RunFolder Copy(RunFolder source, string root)
    {
        var target = new RunFolder(Path.Combine(root, $"forged-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(target.Root);
        foreach (var file in Directory.GetFiles(source.Root))
            File.Copy(file, Path.Combine(target.Root, Path.GetFileName(file)));
        return target;
    }

    /// <summary>
    /// Rewrites the model section of <paramref name="path"/>, and its weight average where it has one,
    /// after <paramref name="change"/> edits each loaded set (a valid checksum).
    /// </summary>
    public static void EditWeights(string path, Action<TorchSharp.torch.nn.Module> change)
    {
        var checkpoint = CheckpointFile.Read(path);
        var config = checkpoint.Header.Config;
        var factory = ModelRegistry.Get(config.Model);
        using var model = factory.Create(config, checkpoint.Header.Dataset.Items + 1, TorchSharp.torch.CPU);
        byte[] Edited(byte[] section)
        {
            using (var stream = new MemoryStream(section))
                model.Module.load(stream);
            change(model.Module);
            using var bytes = new MemoryStream();
            model.Module.save(bytes);
            return bytes.ToArray();
        }
        var edited = checkpoint with { Model = Edited(checkpoint.Model) };
        if (checkpoint.HasAverage)
            edited = edited with { Average = Edited(checkpoint.Average) };
        edited.Write(path);
    }
}
