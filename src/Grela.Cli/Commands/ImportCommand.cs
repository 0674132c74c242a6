using System.CommandLine;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela import --weights FILE --model recgrela [options] --out DIR`.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import",
            "Turn reference-implementation weights (safetensors or .pt) into a run folder usable by recommend and evaluate.");
        var weights = new Option<string>("--weights") { Description = "weight file (safetensors or PyTorch .pt, detected from its content)", HelpName = "FILE", Required = true };
        var config = ConfigOptions.All();
        var file = new Option<string?>("--config") { Description = "YAML or JSON file of config keys", HelpName = "FILE" };
        var outDir = new Option<string>("--out") { Description = "run folder to create", HelpName = "DIR", Required = true };
        var json = CommonOptions.Json();
        command.Options.Add(weights);
        config.AddTo(command);
        command.Options.Add(file);
        command.Options.Add(outDir);
        command.Options.Add(json);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = new CliOutput(context, parse.GetValue(json));
            var sources = new[] { parse.GetValue(file) is { } f ? ConfigFileReader.Read(f) : null, config.Given(parse) }.OfType<Grela.Runs.ConfigSource>().ToArray();
            var request = new ImportRequest(parse.GetValue(weights)!, sources, parse.GetValue(outDir)!);
            var result = ImportRun.Execute(request, output);
            output.Human.MarkupLine(Markup.Escape(
                $"imported {result.Config.Model} ({result.Items} items, {result.Tensors} tensors, {result.Config.Attention} attention) from {request.Weights} into {result.Folder.Root}" +
                (result.Dataset is null ? "; no dataset: recommend takes integer item ids" : $"; ids from {result.Dataset}")));
            output.Machine(new JsonObject { ["run"] = result.Folder.Root });
            return ExitCodes.Success;
        }));
        return command;
    }
}
