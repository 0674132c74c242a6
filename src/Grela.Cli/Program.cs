using System.CommandLine;
using Grela.Cli.Commands;
using Grela.Cli.Shell;

namespace Grela.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args);

    /// <summary>Entry point shared by the executable and the in-process CLI tests.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("Grela: long-term sequential recommendation (RecGRELA and baselines) on TorchSharp.");
        foreach (var command in CommandCatalogue.All())
            root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                CommandRunner.WriteError(error.Message);
            return ExitCodes.BadInput;
        }
        return parse.Invoke();
    }
}
