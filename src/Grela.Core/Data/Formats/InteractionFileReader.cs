using Grela.Errors;

namespace Grela.Data.Formats;

/// <summary>Reads an interaction file in any supported layout, detected from its name and content unless given.</summary>
public static class InteractionFileReader
{
    /// <summary>Reads <paramref name="path"/>; <paramref name="format"/> null means detect.</summary>
    /// <exception cref="UserInputException">The file is missing, empty or malformed (message names file, line, text and expectation).</exception>
    public static RawInteractions Read(string path, InteractionFormat? format = null)
    {
        var lines = ReadLines(path);
        var chosen = format ?? FormatDetector.Detect(path, lines);
        return chosen switch
        {
            InteractionFormat.Atomic => AtomicReader.Read(path, lines),
            InteractionFormat.MovieLensDat => MovieLensReaders.ReadDat(path, lines),
            InteractionFormat.MovieLensCsv => MovieLensReaders.ReadCsv(path, lines),
            InteractionFormat.UserLines => SequenceFileReaders.ReadUserLines(path, lines),
            InteractionFormat.Pairs => SequenceFileReaders.ReadPairs(path, lines),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static string[] ReadLines(string path)
    {
        var what = "an interaction file or a dataset name such as 'synthetic' (formats: " + string.Join(", ", InteractionFormatNames.Canonical) + ")";
        var lines = IO.InputFile.ReadLines(path, what);
        if (lines.All(l => FieldSplitter.IsBlankLine(l)))
            throw DataFileError.InFile(path, "the file is empty; expected interactions (formats: " + string.Join(", ", InteractionFormatNames.Canonical) + ")");
        return lines;
    }
}
