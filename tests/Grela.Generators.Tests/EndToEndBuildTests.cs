using System.Diagnostics;

namespace Grela.Generators.Tests;

/// <summary>
/// `dotnet build` of a throwaway project with a mis-wired layer fails with GRELA001 at the edited
/// line. The project references the already built Grela.Core, TorchSharp and LanguageExt
/// assemblies and the generator directly (no packages to restore), so it builds in seconds.
/// </summary>
public class EndToEndBuildTests
{
    private const string Source = """
        using Grela.Layers;
        using TorchSharp;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        namespace Throwaway;

        [Layer]
        public sealed partial record Block([Positive] int Dim)
        {
            [Sub("norm")] public LayerNorm Norm => new(Dim);
            [Sub("proj")] public Linear Proj => new(Dim, Dim * 2);

            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => x + m.Proj.forward(m.Norm.forward(x));
        }
        """;

    [Fact]
    public void MiswiredLayerFailsTheBuildAtTheEditedLine()
    {
        var bin = AppContext.BaseDirectory;
        var dir = Directory.CreateTempSubdirectory("grela-e2e-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Block.cs"), Source);
            File.WriteAllText(Path.Combine(dir, "Throwaway.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="{Path.Combine(bin, "Grela.Core.dll")}" />
                    <Reference Include="{Path.Combine(bin, "TorchSharp.dll")}" />
                    <Reference Include="{Path.Combine(bin, "LanguageExt.Core.dll")}" />
                    <Analyzer Include="{Path.Combine(bin, "Grela.Generators.dll")}" />
                  </ItemGroup>
                </Project>
                """);
            var (exit, output) = Run("dotnet", $"build \"{Path.Combine(dir, "Throwaway.csproj")}\" -nologo -clp:NoSummary", dir, TimeSpan.FromMinutes(3));

            Assert.NotEqual(0, exit);
            var errors = output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Contains("error GRELA", e));
            // The widened projection (line 12) and the residual that receives it (line 16).
            Assert.Contains(errors, e => e.Contains("Block.cs(12,50): error GRELA002", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("Block.cs(16,69): error GRELA002", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string file, string arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet build did not finish within " + timeout);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
