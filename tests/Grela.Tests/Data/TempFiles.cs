namespace Grela.Tests.Data;

/// <summary>Small interaction files written to a private temp folder, deleted with the fixture.</summary>
public sealed class TempFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("grela-data-tests-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
