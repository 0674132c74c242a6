using System.CommandLine;
using Grela.Cli.Serving;
using Grela.Cli.Shell;

namespace Grela.Cli.Commands;

/// <summary>`grela serve --run DIR [--urls URLS] [--state FILE] [--top K] [--max-users N] [--threads N]` (docs/serving.md).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "HTTP server for a run: per-user events in, top-K next items out, state kept in a SQLite file (docs/serving.md).");
        var run = CommonOptions.Run();
        var urls = new Option<string>("--urls") { Description = "where to listen, separated by ';' (port 0: any free port)", HelpName = "URLS", DefaultValueFactory = _ => ServeOptions.DefaultUrls };
        var state = new Option<string?>("--state") { Description = "the state file (SQLite); default: serve-state.db in the run folder", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "items per answer when a request gives no k", HelpName = "K", DefaultValueFactory = _ => 10 };
        var maxUsers = new Option<int>("--max-users")
        {
            Description = "users held in memory; past it the least recently used idle ones are dropped and re-read from the state file when they return",
            HelpName = "N", DefaultValueFactory = _ => UserSessions.DefaultMaxResident,
        };
        var threads = CommonOptions.Threads();
        foreach (var option in new Option[] { run, urls, state, top, maxUsers, threads })
            command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var options = new ServeOptions(parse.GetValue(run)!, parse.GetValue(urls)!, parse.GetValue(state), parse.GetValue(top), parse.GetValue(threads), parse.GetValue(maxUsers));
            // Ctrl-C and SIGTERM cancel the token (the gate is open) and the server stops cleanly.
            using var gate = context.Interrupts.Open();
            return Serve(context, options).GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task<int> Serve(CliContext context, ServeOptions options)
    {
        await using var host = await ServeHost.StartAsync(options);
        var model = host.Served;
        // Scripts and tests read this line for the address (the port is real even when 0 was asked).
        context.Out.WriteLine($"grela serve: listening on {string.Join(' ', host.Urls)} ({model.Run.Config.Model}, {model.Model.StateKind} state, {model.Store.CountUsers()} users in {options.StatePath})");
        context.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, context.Cancel);
        }
        catch (OperationCanceledException)
        {
        }
        context.Err.WriteLine("grela serve: stopping");
        return ExitCodes.Success;
    }
}
