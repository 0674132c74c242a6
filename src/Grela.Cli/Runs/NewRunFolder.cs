using Grela.Errors;
using Grela.Runs;

namespace Grela.Cli.Runs;

/// <summary>
/// The folder a new run is written to (<c>train --out</c>, <c>import --out</c>), refused in the
/// command line's words: Core's <see cref="RunFolder.CheckNew"/> names the folder only, the shell
/// adds the options that fix it.
/// </summary>
internal static class NewRunFolder
{
    public static RunFolder Check(RunFolder folder) => folder.Occupant switch
    {
        RunFolderOccupant.File => throw new UserInputException($"--out {folder.Root}: a file of that name exists; expected a folder for the run"),
        RunFolderOccupant.Run => throw new UserInputException(
            $"--out {folder.Root}: the folder already holds a run; choose another folder or continue it with --resume {folder.Root}"),
        _ => folder,
    };
}
