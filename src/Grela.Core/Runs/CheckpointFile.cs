using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Runs;

/// <summary>
/// A checkpoint as it lies on disk: the header and the raw bytes of the model, optimizer and RNG
/// state, and of the weight average when training kept one. Layout: 8-byte magic "GRELACK1", then
/// four length-prefixed sections (int64 little-endian length + bytes: header JSON, model state,
/// optimizer state, RNG state), then the SHA-256 of everything before it, so truncation and
/// corruption are detected before anything is loaded. A checkpoint with a weight average starts
/// "GRELACK2" and has a fifth section, the average in the model state's format; `Model` stays the
/// training weights, which a resume continues from.
/// </summary>
public sealed record CheckpointFile(CheckpointHeader Header, byte[] Model, byte[] Optimizer, byte[] Rng, byte[] Average)
{
    private static readonly byte[] Magic = "GRELACK1"u8.ToArray();
    private static readonly byte[] AveragedMagic = "GRELACK2"u8.ToArray();
    private const int HashLength = 32;

    /// <summary>Whether the file holds a weight average besides the training weights.</summary>
    public bool HasAverage => Average.Length > 0;

    /// <summary>
    /// Captures the current model, optimizer (may be null) and global RNG state. A model or
    /// optimizer holding NaN or infinite values is refused (<see cref="NonFiniteStateException"/>):
    /// a checkpoint is always a state training can continue from.
    /// </summary>
    public static CheckpointFile Capture(CheckpointHeader header, nn.Module model, TorchSharp.Modules.OptimizerHelper? optimizer,
        Training.WeightAverage? average = null)
    {
        FiniteState.Require(model, optimizer, "saving a checkpoint");
        var averageBytes = Array.Empty<byte>();
        if (average is not null)
        {
            using var swapped = average.SwappedIn();
            FiniteState.Require(model, null, "saving a checkpoint's weight average");
            using var stream = new MemoryStream();
            model.save(stream);
            averageBytes = stream.ToArray();
        }
        using var modelBytes = new MemoryStream();
        model.save(modelBytes);
        var optimizerBytes = Array.Empty<byte>();
        if (optimizer is not null)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                optimizer.save_state_dict(writer);
            optimizerBytes = stream.ToArray();
        }
        using var rng = torch.get_rng_state();
        return new CheckpointFile(header, modelBytes.ToArray(), optimizerBytes, rng.data<byte>().ToArray(), averageBytes);
    }

    /// <summary>Writes atomically (temporary file, then rename).</summary>
    public void Write(string path)
    {
        var headerBytes = Encoding.UTF8.GetBytes(Header.ToJson().ToJsonString());
        using var body = new MemoryStream();
        // Files without an average keep the first layout, so tools that read it read them unchanged.
        body.Write(HasAverage ? AveragedMagic : Magic);
        Span<byte> length = stackalloc byte[8];
        var sections = new List<byte[]> { headerBytes, Model, Optimizer, Rng };
        if (HasAverage) sections.Add(Average);
        foreach (var section in sections)
        {
            BinaryPrimitives.WriteInt64LittleEndian(length, section.Length);
            body.Write(length);
            body.Write(section);
        }
        var content = body.ToArray();
        var hash = SHA256.HashData(content);
        AtomicFile.Write(path, s => { s.Write(content); s.Write(hash); });
    }

    /// <summary>Reads and verifies a checkpoint; every failure is a <see cref="CheckpointException"/> naming the file.</summary>
    public static CheckpointFile Read(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: checkpoint not found");
        var bytes = IO.InputFile.ReadAllBytes(path, "a Grela checkpoint");
        var averaged = bytes.Length >= AveragedMagic.Length && bytes.AsSpan(0, AveragedMagic.Length).SequenceEqual(AveragedMagic);
        if (!averaged && (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)))
            throw new CheckpointException($"{path}: not a Grela checkpoint (expected the bytes \"GRELACK1\" or \"GRELACK2\" at the start)");
        var sections = new byte[averaged ? 5 : 4][];
        var offset = Magic.Length;
        for (var i = 0; i < sections.Length; i++)
        {
            if (offset + 8 > bytes.Length)
                throw Truncated(path, bytes.Length);
            var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset, 8));
            offset += 8;
            if (length < 0 || offset + length > bytes.Length)
                throw Truncated(path, bytes.Length);
            sections[i] = bytes.AsSpan(offset, (int)length).ToArray();
            offset += (int)length;
        }
        if (offset + HashLength != bytes.Length)
            throw bytes.Length < offset + HashLength
                ? Truncated(path, bytes.Length)
                : new CheckpointException($"{path}: {bytes.Length - offset - HashLength} unexpected bytes after the checksum (corrupt checkpoint)");
        var expected = SHA256.HashData(bytes.AsSpan(0, offset));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(offset, HashLength)))
            throw new CheckpointException($"{path}: checksum mismatch: the checkpoint is corrupt (was it modified or partly overwritten?)");
        CheckpointHeader header;
        try
        {
            using var json = JsonDocument.Parse(sections[0]);
            header = CheckpointHeader.FromJson(path, json.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or CheckpointException or Errors.UserInputException)
        {
            // Whatever a forged header holds (wrong types, huge or negative numbers), the error names the file.
            var message = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: unreadable checkpoint header: {e.Message}";
            throw new CheckpointException(message, e);
        }
        if (averaged && sections[4].Length == 0)
            throw new CheckpointException($"{path}: a \"GRELACK2\" checkpoint with an empty weight average section (corrupt checkpoint)");
        return new CheckpointFile(header, sections[1], sections[2], sections[3], averaged ? sections[4] : []);
    }

    /// <summary>
    /// Called before a model is built from a header's config: it is checked against the model section: the item
    /// embedding (items x dim) and at least dim x dim weights per layer, as float32, must be in the
    /// file. A forged header (valid checksum, huge item count or width) is refused here, before it
    /// can size a multi-gigabyte model.
    /// </summary>
    public void RequirePlausibleSize(string path)
    {
        var header = Header;
        var modelBytes = Model.LongLength;
        var c = header.Config;
        var least = 4 * ((decimal)(header.Dataset.Items + 1) * c.Dim + (decimal)c.Layers * c.Dim * c.Dim);
        if (least > modelBytes)
            throw new CheckpointException(
                $"{path}: the header describes a model of at least {least:N0} bytes ({header.Dataset.Items} items, dim {c.Dim}, {c.Layers} layers), " +
                $"but the checkpoint holds {modelBytes:N0} bytes of weights (forged or corrupt header)");
    }

    private static CheckpointException Truncated(string path, long size) =>
        new($"{path}: truncated checkpoint ({size} bytes): the file ends before its declared content (was the write interrupted?)");

    /// <summary>
    /// Loads the model weights after checking that <paramref name="modelHash"/> (the model being
    /// loaded into) matches the one the checkpoint was written for.
    /// </summary>
    public void LoadModel(nn.Module model, string modelHash, string path) => LoadWeights(model, modelHash, path, CheckpointWeights.Training);

    /// <summary>
    /// Loads the chosen weights: the training weights, or the weight average where the file holds one
    /// (<see cref="CheckpointWeights.Average"/> falls back to the training weights otherwise), after the
    /// same architecture check as <see cref="LoadModel"/>. Returns the weights it loaded.
    /// </summary>
    public CheckpointWeights LoadWeights(nn.Module model, string modelHash, string path, CheckpointWeights weights)
    {
        if (ModelFingerprint.IsCurrent(Header.ModelHash) && modelHash != Header.ModelHash)
            throw new CheckpointException($"{path}: written for a different model architecture (model hash {Header.ModelHash[..16]}…, this model {modelHash[..16]}…)");
        var loaded = HasAverage ? weights : CheckpointWeights.Training;
        LoadState(model, loaded == CheckpointWeights.Average ? Average : Model, path);
        return loaded;
    }

    /// <summary>
    /// Restores a resumed run's weight average: the saved one, or, for a file written without one, the
    /// training weights already loaded (the average starts there, as in a fresh run).
    /// </summary>
    public void LoadAverage(nn.Module model, Training.WeightAverage average, string path)
    {
        if (!HasAverage)
        {
            average.Reset();
            return;
        }
        // The average's tensors take the module's place while the saved bytes are read into it.
        using var swapped = average.SwappedIn();
        LoadState(model, Average, path);
    }

    private static void LoadState(nn.Module model, byte[] state, string path)
    {
        try
        {
            using var stream = new MemoryStream(state);
            model.load(stream, strict: true);
        }
        catch (Exception e) when (e is not CheckpointException and not OutOfMemoryException)
        {
            throw new CheckpointException($"{path}: the weights do not fit the model its config describes ({e.Message})", e);
        }
    }

    /// <summary>Restores the optimizer state (no-op for checkpoints written without one).</summary>
    public void LoadOptimizer(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        if (Optimizer.Length == 0)
            return;
        using var stream = new MemoryStream(Optimizer);
        using var reader = new BinaryReader(stream);
        optimizer.load_state_dict(reader);
    }

    /// <summary>Restores the global RNG so that dropout draws continue where they stopped.</summary>
    public void LoadRng()
    {
        if (Rng.Length == 0)
            return;
        using var state = torch.tensor(Rng, ScalarType.Byte);
        torch.set_rng_state(state);
    }
}

/// <summary>Which weights of a checkpoint to load: those training stepped, or their moving average where there is one.</summary>
public enum CheckpointWeights { Average, Training }
