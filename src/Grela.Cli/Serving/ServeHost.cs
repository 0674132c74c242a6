using Grela.Cli.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grela.Cli.Serving;

/// <summary>What `grela serve` was asked for.</summary>
/// <param name="Urls">Kestrel URLs separated by ';' (port 0 picks a free port).</param>
/// <param name="State">The state file; null: <c>serve-state.db</c> in the run folder.</param>
/// <param name="MaxUsers">Users held in memory; idle ones past it are dropped and re-read from the state file on return.</param>
internal sealed record ServeOptions(string Run, string Urls = ServeOptions.DefaultUrls, string? State = null, int Top = 10, int? Threads = null,
    int MaxUsers = UserSessions.DefaultMaxResident)
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public string StatePath => State ?? Path.Combine(Run, "serve-state.db");
}

/// <summary>
/// A running server: the run loaded, the state file open, Kestrel listening. The command and the
/// tests start it the same way; disposing stops Kestrel, then closes the store and the model.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedRun _served;

    private ServeHost(WebApplication app, ServedRun served, IReadOnlyList<string> urls)
    {
        _app = app;
        _served = served;
        Urls = urls;
    }

    /// <summary>The addresses Kestrel listens on (a port 0 replaced by the port it got).</summary>
    public IReadOnlyList<string> Urls { get; }

    public ServedRun Served => _served;

    public static async Task<ServeHost> StartAsync(ServeOptions options)
    {
        if (options.Top is < 1 or > ServeLimits.MaxK)
            throw new Grela.Errors.UserInputException($"--top: expected 1..{ServeLimits.MaxK}, got {options.Top}");
        if (options.MaxUsers < 1)
            throw new Grela.Errors.UserInputException($"--max-users: expected at least 1, got {options.MaxUsers}");
        var run = LoadedRun.Open(options.Run, threads: options.Threads);
        ServedRun? served = null;
        try
        {
            served = ServedRun.Create(run, SqliteStateStore.Open(options.StatePath), Math.Min(options.Top, run.ItemCount - 1), options.MaxUsers);
        }
        catch
        {
            run.Dispose();
            throw;
        }
        try
        {
            var app = Build(options, served);
            try
            {
                await app.StartAsync();
            }
            catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
            {
                // A port in use, a URL Kestrel cannot read: the user's to fix, said in one line.
                await app.DisposeAsync();
                throw new Grela.Errors.UserInputException($"--urls {options.Urls}: {e.Message}", e);
            }
            var urls = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
            return new ServeHost(app, served, urls);
        }
        catch
        {
            served.Dispose();
            throw;
        }
    }

    private static WebApplication Build(ServeOptions options, ServedRun served)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = ServeLimits.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        // grela's own handlers own SIGINT/SIGTERM (CliContext): the host must not install its own.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.AddProblemDetails();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        // A failed start is reported by grela as an error line, not by the host as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        var app = builder.Build();
        var metrics = new ServeMetrics();
        app.Use(next => ServeApi.Measure(next, metrics));
        // Unhandled failures answer a 500 problem document without a stack trace; unmatched
        // routes and methods answer 404/405 problem documents.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        ServeApi.Map(app, served, metrics);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        finally
        {
            _served.Dispose();
        }
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
