using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Grela.Cli.Shell;

/// <summary>
/// Where a command writes. Human output (tables, progress, notes) goes to stdout, or to stderr under
/// --json so that stdout carries only the one JSON document a script reads.
/// </summary>
internal sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly CliContext _context;

    public CliOutput(CliContext context, bool json)
    {
        _context = context;
        Json = json;
        Human = CreateConsole(json ? context.Err : context.Out);
    }

    public bool Json { get; }

    /// <summary>The console for people: stdout normally, stderr under --json.</summary>
    public IAnsiConsole Human { get; }

    public CliContext Context => _context;

    public void Note(string text) => Human.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    public void Warn(string text) => Human.MarkupLine($"[yellow]warning:[/] {Markup.Escape(text)}");

    /// <summary>Prints the machine-readable result (only under --json).</summary>
    public void Machine(JsonNode node)
    {
        if (Json)
            _context.Out.WriteLine(node.ToJsonString(Indented));
    }

    /// <summary>
    /// A Spectre console on <paramref name="writer"/>. Off a terminal (pipes, files, tests) lines are
    /// not wrapped at 80 columns, so messages stay whole for scripts and logs.
    /// </summary>
    public static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var terminal = (writer == Console.Out && !Console.IsOutputRedirected) || (writer == Console.Error && !Console.IsErrorRedirected);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            // Pipes, files and tests get plain text: no colour codes, no cursor movement.
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 400;
        return console;
    }
}
