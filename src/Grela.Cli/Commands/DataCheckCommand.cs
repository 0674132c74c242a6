using System.CommandLine;
using System.Text.Json;
using Grela.Cli.Shell;
using Grela.Data;
using Grela.Data.Formats;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary><c>grela data check PATH</c>: parses the whole file (a malformed line is exit code 2) and reports what the protocol will do with it.</summary>
public static class DataCheckCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "Interaction file (or folder with one) to validate." };
        var json = new Option<bool>("--json") { Description = "Print JSON only." };
        var data = new DataOptionSet();
        var command = new Command("check", "Validate an interaction file and report problems (malformed lines are errors with the line number).") { path, json };
        data.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = new CliOutput(context, parse.GetValue(json));
            var options = data.Read(parse);
            var raw = DatasetLoader.ReadRaw(parse.GetValue(path)!, options.Format);
            var findings = FileCheck.Run(raw, options);
            if (output.Json) context.Out.WriteLine(ToJson(raw, findings));
            else Render(raw, findings, output.Human);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The findings as JSON: file, format and a list of {severity, check, detail}.</summary>
    public static string ToJson(RawInteractions raw, IReadOnlyList<CheckFinding> findings) =>
        JsonSerializer.Serialize(new
        {
            File = raw.Path,
            Format = InteractionFormatNames.NameOf(raw.Format),
            Valid = true,
            Findings = findings.Select(f => new { Severity = f.Severity.ToString().ToLowerInvariant(), f.Check, f.Detail }),
        }, DataStatsCommand.Json);

    /// <summary>The findings as a table.</summary>
    public static void Render(RawInteractions raw, IReadOnlyList<CheckFinding> findings, IAnsiConsole console)
    {
        console.MarkupLine($"[bold]{Markup.Escape(raw.Path)}[/]: [green]valid[/] ({InteractionFormatNames.NameOf(raw.Format)})");
        var table = new Table().AddColumn("").AddColumn("check").AddColumn("finding");
        foreach (var f in findings)
        {
            var mark = f.Severity switch { CheckSeverity.Ok => "[green]ok[/]", CheckSeverity.Note => "[blue]note[/]", _ => "[yellow]warning[/]" };
            table.AddRow(mark, Markup.Escape(f.Check), Markup.Escape(f.Detail));
        }
        console.Write(table);
    }
}
