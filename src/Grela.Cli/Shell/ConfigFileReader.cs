using System.Globalization;
using System.Text.Json;
using Grela.Errors;
using Grela.Runs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Grela.Cli.Shell;

/// <summary>
/// Reads a --config file (YAML, or JSON by its .json extension) into raw key/values. Values keep the
/// kind the file gave them (a quoted "5" is text), so a wrong type is reported with the key.
/// </summary>
internal static class ConfigFileReader
{
    /// <summary>Largest config file read: 1 MiB.</summary>
    public const long MaxBytes = 1 << 20;

    public static ConfigSource Read(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"--config {path}: file not found");
        var text = Grela.IO.InputFile.ReadText(path, "a YAML or JSON config file", MaxBytes);
        var origin = $"config file {path}";
        return Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase)
            ? ReadJson(origin, text)
            : ReadYaml(origin, text);
    }

    public static ConfigSource ReadJson(string origin, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return ConfigJson.ToSource(origin, document.RootElement);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{origin}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
    }

    public static ConfigSource ReadYaml(string origin, string text)
    {
        var stream = new YamlStream();
        try
        {
            CheckShape(origin, text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new UserInputException($"{origin}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0)
            return ConfigSource.Empty(origin);
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new UserInputException($"{origin}: expected a mapping of key: value lines at line {stream.Documents[0].RootNode.Start.Line}");
        var values = new List<KeyValuePair<string, RawValue>>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode k ? k.Value ?? "" : keyNode.ToString();
            values.Add(new(key, ToRaw(valueNode)));
        }
        return new ConfigSource(origin, values);
    }

    /// <summary>Deepest nesting a config is read with (a config is flat: key: value lines).</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// Walks the YAML events (a streaming parser, no recursion) before the document is built: more
    /// than one document, or nesting deeper than <see cref="MaxDepth"/> (which would overflow the
    /// stack of the recursive loader), is an error naming the line.
    /// </summary>
    private static void CheckShape(string origin, string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var documents = 0;
        var readUpTo = Mark.Empty;
        while (Next(parser, origin, readUpTo))
        {
            readUpTo = parser.Current!.End;
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.DocumentStart start:
                    if (++documents > 1)
                        throw new UserInputException($"{origin}: a second YAML document starts at line {start.Start.Line}; a config file holds one document");
                    break;
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxDepth)
                        throw new UserInputException($"{origin}: nesting deeper than {MaxDepth} levels at line {parser.Current.Start.Line}; a config file is flat key: value lines");
                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    // YamlDotNet's parser fails on some malformed input (an unclosed flow list such as "[6") with a
    // bare InvalidOperationException that has no position: name where the last good token ended.
    private static bool Next(Parser parser, string origin, Mark readUpTo)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (InvalidOperationException)
        {
            throw new UserInputException($"{origin}: invalid YAML after line {readUpTo.Line}, column {readUpTo.Column} (an unclosed [list] or {{mapping}}?)");
        }
    }

    private static RawValue ToRaw(YamlNode node)
    {
        if (node is not YamlScalarNode scalar)
            return new RawValue($"a YAML {(node is YamlSequenceNode ? "list" : "mapping")} (line {node.Start.Line})", RawKind.Structure);
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return RawValue.Of(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return new RawValue("null", RawKind.Null);
        if (text is "true" or "false" or "True" or "False" or "TRUE" or "FALSE")
            return new RawValue(text, RawKind.Boolean);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? new RawValue(text, RawKind.Number)
            : RawValue.Of(text);
    }
}
