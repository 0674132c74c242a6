namespace Grela.Cli.Runs;

/// <summary>What `grela export` was asked: a run folder, a weight format, the file to write.</summary>
internal sealed record ExportRequest(string Run, WeightFormat Format, string Out);

/// <summary>What was written: the file, its format, the model's name and how many tensors it holds.</summary>
internal sealed record ExportResult(string File, WeightFormat Format, string Model, int Tensors);

/// <summary>
/// `grela export`: a run's best weights written under the reference implementation's names by the
/// model's registry entry (RecGRELA safetensors also carry its spec as metadata). The run is opened
/// on the CPU, where the files are written from; rendering is the command's.
/// </summary>
internal static class ExportRun
{
    public static ExportResult Execute(ExportRequest request)
    {
        using var loaded = LoadedRun.Open(request.Run, "cpu");
        loaded.Factory.Export(loaded.Model, request.Format, request.Out);
        return new ExportResult(request.Out, request.Format, loaded.Config.Model, loaded.Model.Module.state_dict().Count);
    }
}
