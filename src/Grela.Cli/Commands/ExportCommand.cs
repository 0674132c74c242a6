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
            using var loaded = LoadedRun.Open(parse.GetValue(run)!, "cpu");
            var path = parse.GetValue(outFile)!;
            var weightFormat = WeightFiles.ParseFormat(parse.GetValue(format)!);
            loaded.Factory.Export(loaded.Model, weightFormat, path);
            var tensors = loaded.Model.Module.state_dict().Count;
            output.Human.MarkupLine($"wrote {tensors} tensors of {Markup.Escape(loaded.Config.Model)} to {Markup.Escape(path)}");
            output.Machine(new JsonObject { ["file"] = path, ["format"] = weightFormat.ToString().ToLowerInvariant(), ["tensors"] = tensors });
            return ExitCodes.Success;
        }));
        return command;
    }
}
