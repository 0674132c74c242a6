using System.CommandLine;
using System.Reflection;
using System.Text.Json.Nodes;
using Grela.Cli.Shell;
using Grela.Host;
using Spectre.Console;
using TorchSharp;

namespace Grela.Cli.Commands;

/// <summary>`grela doctor`: versions, backend, CUDA, threads, and whether the native libraries load.</summary>
internal static class DoctorCommand
{
    /// <summary>Name of the native backend this binary was built against (MSBuild property GrelaBackend).</summary>
    public const string BackendPackage =
#if GRELA_BACKEND_CUDA
        "cuda (TorchSharp-cuda-linux)";
#else
        "cpu (libtorch-cpu-linux-x64)";
#endif

    public static Command Create(CliContext context)
    {
        var command = new Command("doctor", "Check the tensor engine: TorchSharp and libtorch versions, backend, CUDA, threads, native library loading.");
        var json = CommonOptions.Json();
        command.Options.Add(json);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = new CliOutput(context, parse.GetValue(json));
            var report = Diagnose();
            var table = new Table().AddColumn("check").AddColumn("result");
            foreach (var (name, value) in report)
                table.AddRow(Markup.Escape(name), Markup.Escape(value?.ToString() ?? "-"));
            output.Human.Write(table);
            output.Machine(report);
            return report["native_libraries"]!.GetValue<string>() == "ok" ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }));
        return command;
    }

    private static JsonObject Diagnose()
    {
        var torchSharp = typeof(torch).Assembly;
        var report = new JsonObject
        {
            ["grela"] = typeof(DoctorCommand).Assembly.GetName().Version?.ToString(),
            ["torchsharp"] = torchSharp.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                             ?? torchSharp.GetName().Version?.ToString(),
            ["backend_package"] = BackendPackage,
            ["dotnet"] = Environment.Version.ToString(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["processors"] = Environment.ProcessorCount,
        };
        try
        {
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            var ok = probe.sum().item<float>() == 8f;
            report["native_libraries"] = ok ? "ok" : "loaded, but a 2x2 matmul gave a wrong result";
            report["libtorch"] = torch.__version__;
            report["threads"] = torch.get_num_threads();
            var cuda = DeviceSelection.CudaUsable();
            report["cuda_available"] = cuda;
            report["cuda_devices"] = cuda ? torch.cuda.device_count() : 0;
        }
        catch (Exception e)
        {
            report["native_libraries"] = $"FAILED: {e.GetType().Name}: {e.Message}";
            report["fix"] = "TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32; build through this repository " +
                            "(its PatchLibTorchSharp target marks that need weak) or install a libstdc++ from GCC 13+; see docs/toolchain.md";
        }
        return report;
    }
}
