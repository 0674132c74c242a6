using System.CommandLine;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela export --run DIR --format safetensors|pt --out FILE`.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("export",
            "Write a run's best weights under the reference implementation's parameter names (RecGRELA: the official PyTorch names).");
        var run = CommonOptions.Run();
        var format = CommonOptions.Format("weight file format", WeightFiles.FormatNames, required: true);
        var outFile = new Option<string>("--out") { Description = "file to write", HelpName = "FILE", Required = true };
        var json = CommonOptions.Json();
        foreach (var option in new Option[] { run, format, outFile, json })
            command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = new CliOutput(context, parse.GetValue(json));
            var result = ExportRun.Execute(new ExportRequest(parse.GetValue(run)!, WeightFiles.ParseFormat(parse.GetValue(format)!), parse.GetValue(outFile)!));
            output.Human.MarkupLine($"wrote {result.Tensors} tensors of {Markup.Escape(result.Model)} to {Markup.Escape(result.File)}");
            output.Machine(new JsonObject { ["file"] = result.File, ["format"] = result.Format.ToString().ToLowerInvariant(), ["tensors"] = result.Tensors });
            return ExitCodes.Success;
        }));
        return command;
    }
}
