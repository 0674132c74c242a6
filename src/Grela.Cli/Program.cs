using System.CommandLine;
using Grela.Cli.Commands;
using Grela.Cli.Shell;

namespace Grela.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Before anything touches libtorch: its OpenMP runtime reads this once, at load.
        Host.OpenMpWait.PreferPassive();
        return Run(args, CliContext.ForConsole());
    }

    /// <summary>Runs one grela command line against the given streams and cancellation token.</summary>
    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("Grela: long-term sequential recommendation (RecGRELA and baselines) on TorchSharp.");
        foreach (var command in CommandCatalogue.All(context))
            root.Subcommands.Add(command);
        // No response files: an argument such as "--history @/etc/passwd" is text, never a file to read.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                CommandRunner.WriteError(context.Err, error.Message);
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Err });
    }
}
