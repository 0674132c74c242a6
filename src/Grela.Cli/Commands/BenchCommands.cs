using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Grela.Cli.Bench;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Grela.Errors;
using Grela.Runs;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela bench speed|stream|curves`: speed, memory and scaling benchmarks with CSV/JSON/PNG output, and learning curves of runs.</summary>
public static class BenchCommands
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Speed, memory and scaling benchmarks (results as CSV, JSON and PNG plots).");
        bench.Subcommands.Add(Speed(context));
        bench.Subcommands.Add(SpeedCaseCommand(context));
        bench.Subcommands.Add(StreamCommand(context));
        bench.Subcommands.Add(CurvesCommand(context));
        bench.Subcommands.Add(ServeCommand(context));
        return bench;
    }

    static Command Speed(CliContext context)
    {
        var models = new Option<string>("--models") { Description = "Comma-separated models to measure.", DefaultValueFactory = _ => "recgrela,sasrec" };
        var lengths = new Option<string>("--lengths") { Description = "Comma-separated sequence lengths.", DefaultValueFactory = _ => "50,200,1000,4000,16000" };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per training step.", DefaultValueFactory = _ => 32 };
        var dim = new Option<int?>("--dim") { Description = "Hidden size D (default: each model's `grela train` default)." };
        var items = new Option<int>("--items") { Description = "Number of item ids (incl. padding) scored per step.", DefaultValueFactory = _ => 3417 };
        var attention = AttentionOption();
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before measuring.", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "Timed steps (the median is reported).", DefaultValueFactory = _ => 5 };
        var budget = new Option<double>("--memory-budget-mb") { Description = "A case whose RSS passes this is recorded as out of memory.", DefaultValueFactory = _ => 16000 };
        var timeout = new Option<int>("--case-timeout") { Description = "Seconds before a case is recorded as out of time.", DefaultValueFactory = _ => 600 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 2020 };
        var json = new Option<bool>("--json") { Description = "Print results as JSON on stdout." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "bench-results" };
        var cmd = new Command("speed", "Median training-step and inference time, samples/s and peak memory per model and sequence length.")
        {
            models, lengths, batch, dim, items, attention, device, warmup, repeats, budget, timeout, seed, json, output,
        };
        cmd.SetAction(p => CommandRunner.Run(context, () =>
        {
            var plan = new SpeedBench.Plan(
                SplitList(p.GetValue(models)!, "--models"), SplitList(p.GetValue(lengths)!, "--lengths").Select(s => ParsePositive(s, "--lengths")).ToList(),
                p.GetValue(attention)!, Positive(p.GetValue(batch), "--batch-size"), p.GetValue(dim) is { } d ? Positive(d, "--dim") : (int?)null, Positive(p.GetValue(items), "--items"),
                p.GetValue(device)!, p.GetValue(warmup), Positive(p.GetValue(repeats), "--repeats"), p.GetValue(budget),
                TimeSpan.FromSeconds(Positive(p.GetValue(timeout), "--case-timeout")), p.GetValue(seed));
            foreach (var m in plan.Models) BenchModels.EnsureKnown(m);
            var cli = new CliOutput(context, p.GetValue(json));
            var results = SpeedBench.Run(plan, c => { if (!cli.Json) cli.Human.MarkupLine(Markup.Escape(Describe(c))); });
            var dir = p.GetValue(output)!;
            SpeedBench.WriteOutputs(dir, results);
            if (cli.Json) context.Out.WriteLine(JsonSerializer.Serialize(results, BenchFiles.Json));
            else cli.Human.MarkupLine($"wrote [bold]{Markup.Escape(Path.Combine(dir, "speed.csv"))}[/], speed.json, speed-time.png, speed-memory.png");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    /// <summary>
    /// speed and its speed-case children take the mode as train spells it; refusing other spellings
    /// here is what lets the bench parse it without a second check.
    /// </summary>
    static Option<string> AttentionOption()
    {
        var option = new Option<string>("--attention") { Description = "RecGRELA attention mode: causal or global.", DefaultValueFactory = _ => "causal" };
        option.AcceptOnlyFromAmong([.. ConfigCatalogue.AttentionModes]);
        return option;
    }

    /// <summary>One case, run by `bench speed` in a child process; prints one JSON line.</summary>
    static Command SpeedCaseCommand(CliContext context)
    {
        var model = new Option<string>("--model") { Required = true };
        var attention = AttentionOption();
        var length = new Option<int>("--length") { Required = true };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var dim = new Option<int?>("--dim");
        var items = new Option<int>("--items") { DefaultValueFactory = _ => 3417 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu" };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 5 };
        var budget = new Option<double>("--memory-budget-mb") { DefaultValueFactory = _ => 16000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 2020 };
        var cmd = new Command("speed-case", "Measure one case (used by `bench speed`).")
        {
            model, attention, length, batch, dim, items, device, warmup, repeats, budget, seed,
        };
        cmd.Hidden = true;
        cmd.SetAction(p => CommandRunner.Run(context, () =>
        {
            var dev = BenchModels.ResolveDevice(p.GetValue(device)!);
            var request = new BenchModelRequest(p.GetValue(model)!, p.GetValue(attention)!, p.GetValue(items), p.GetValue(dim), p.GetValue(length), dev);
            var settings = new SpeedCaseRunner.Settings(p.GetValue(batch), p.GetValue(warmup), p.GetValue(repeats), p.GetValue(budget), p.GetValue(seed));
            var result = SpeedCaseRunner.Run(request, settings, BenchModels.Build);
            // The parent `bench speed` reads this one line from the child process's stdout.
            context.Out.WriteLine(JsonSerializer.Serialize(result, BenchFiles.CompactJson));
            return ExitCodes.Success;
        }));
        return cmd;
    }

    static Command StreamCommand(CliContext context)
    {
        var histories = new Option<string>("--histories") { Description = "Comma-separated history lengths.", DefaultValueFactory = _ => "100,1000,10000,100000" };
        var dim = new Option<int?>("--dim") { Description = "Hidden size D (default: causal RecGRELA's `grela train` default)." };
        var items = new Option<int>("--items") { DefaultValueFactory = _ => 3417 };
        var repeats = new Option<int>("--repeats") { Description = "Timed updates per history length (median reported).", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 2020 };
        var users = new Option<string>("--users") { Description = "Comma-separated numbers of users stepped in one torch step (per-event cost of batching concurrent events; stream-batched.csv), next to the managed engine one user at a time.", DefaultValueFactory = _ => "1,10,100" };
        var json = new Option<bool>("--json") { Description = "Print results as JSON on stdout." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "bench-results" };
        var cmd = new Command("stream", "Latency of updating a user's recommendations after one new interaction (causal RecGRELA streaming state) vs recomputing from the whole history, and the same update by the managed CPU engine `grela serve` uses.")
        {
            histories, dim, items, repeats, seed, users, json, output,
        };
        cmd.SetAction(p => CommandRunner.Run(context, () =>
        {
            var hs = SplitList(p.GetValue(histories)!, "--histories").Select(s => ParsePositive(s, "--histories")).ToList();
            var us = SplitList(p.GetValue(users)!, "--users").Select(s => ParsePositive(s, "--users")).ToList();
            var cli = new CliOutput(context, p.GetValue(json));
            var width = p.GetValue(dim) is { } d ? Positive(d, "--dim") : RecGrelaFactory.CausalRecipe(new TrainingConfig()).Dim;
            if (!cli.Json) cli.Human.MarkupLine(Markup.Escape($"causal RecGRELA, D {width}, {p.GetValue(items)} items"));
            var results = StreamBench.Run(hs, width, Positive(p.GetValue(items), "--items"),
                Positive(p.GetValue(repeats), "--repeats"), p.GetValue(seed),
                c => { if (!cli.Json) cli.Human.MarkupLine(Markup.Escape($"history {c.History,7}: update {c.UpdateMilliseconds,9:F3} ms, recompute {c.RecomputeMilliseconds,10:F3} ms ({c.Speedup:F0}x)"
                    + (c.ManagedUpdateMilliseconds is { } managed ? $", managed update {managed,7:F3} ms" : ""))); });
            var batched = StreamBench.Batched(us, width, p.GetValue(items), p.GetValue(repeats), p.GetValue(seed),
                c => { if (!cli.Json) cli.Human.MarkupLine(Markup.Escape($"{c.Users,4} users a step: torch {c.TorchMillisecondsPerEvent,8:F3} ms per event"
                    + (c.ManagedMillisecondsPerEvent is { } managed ? $", managed (one at a time) {managed,7:F3} ms per event" : ""))); });
            var dir = p.GetValue(output)!;
            Directory.CreateDirectory(dir);
            AtomicFile.WriteAllText(Path.Combine(dir, "stream-batched.csv"), BenchFiles.StreamBatchedCsv(batched));
            AtomicFile.WriteAllText(Path.Combine(dir, "stream.csv"), BenchFiles.StreamCsv(results));
            AtomicFile.WriteAllText(Path.Combine(dir, "stream.json"), JsonSerializer.Serialize(results, BenchFiles.Json));
            AtomicFile.WriteAllText(Path.Combine(dir, "stream.md"), BenchFiles.StreamMarkdown(results));
            if (cli.Json) context.Out.WriteLine(JsonSerializer.Serialize(results, BenchFiles.Json));
            return ExitCodes.Success;
        }));
        return cmd;
    }

    static Command ServeCommand(CliContext context)
    {
        var run = new Option<string>("--run") { Description = "Run folder to serve.", Required = true };
        var histories = new Option<string>("--histories") { Description = "Comma-separated history lengths of the users.", DefaultValueFactory = _ => "100,10000" };
        var clients = new Option<string>("--clients") { Description = "Comma-separated numbers of concurrent clients (one user each).", DefaultValueFactory = _ => "1,10,100" };
        var requests = new Option<int>("--requests") { Description = "Timed requests per case at most.", DefaultValueFactory = _ => 2000 };
        var seconds = new Option<int>("--seconds") { Description = "Seconds per case at most.", DefaultValueFactory = _ => 20 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for tensor kernels in the server." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 2020 };
        var json = new Option<bool>("--json") { Description = "Print results as JSON on stdout." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "bench-results" };
        var cmd = new Command("serve", "p50/p99 latency and requests/s of `grela serve` for one event + top-10, over loopback HTTP, by history length and concurrent clients.")
        {
            run, histories, clients, requests, seconds, threads, seed, json, output,
        };
        cmd.SetAction(p => CommandRunner.Run(context, () =>
        {
            var plan = new ServeBench.Plan(p.GetValue(run)!,
                SplitList(p.GetValue(histories)!, "--histories").Select(s => ParsePositive(s, "--histories")).ToList(),
                SplitList(p.GetValue(clients)!, "--clients").Select(s => ParsePositive(s, "--clients")).ToList(),
                Positive(p.GetValue(requests), "--requests"), TimeSpan.FromSeconds(Positive(p.GetValue(seconds), "--seconds")), p.GetValue(threads), p.GetValue(seed));
            var cli = new CliOutput(context, p.GetValue(json));
            var results = ServeBench.Run(plan, c => { if (!cli.Json) cli.Human.MarkupLine(Markup.Escape(
                $"history {c.History,6}, {c.Clients,3} clients: p50 {c.P50Milliseconds,7:F2} ms, p99 {c.P99Milliseconds,7:F2} ms, {c.RequestsPerSecond,7:F0} req/s ({c.Requests} requests, {c.Errors} errors, {c.Seconds:F1} s)")); })
                .GetAwaiter().GetResult();
            var dir = p.GetValue(output)!;
            Directory.CreateDirectory(dir);
            AtomicFile.WriteAllText(Path.Combine(dir, "serve.csv"), ServeBench.Csv(results));
            AtomicFile.WriteAllText(Path.Combine(dir, "serve.json"), JsonSerializer.Serialize(results, BenchFiles.Json));
            if (cli.Json) context.Out.WriteLine(JsonSerializer.Serialize(results, BenchFiles.Json));
            return ExitCodes.Success;
        }));
        return cmd;
    }

    static Command CurvesCommand(CliContext context)
    {
        var files = new Argument<string[]>("history") { Description = "history.csv files (a run folder's, or any CSV with columns steps and the metric); PATH=LABEL names a curve.", Arity = ArgumentArity.OneOrMore };
        var metric = new Option<string>("--metric") { Description = "Column to plot.", DefaultValueFactory = _ => $"valid_{MetricNames.Selection}" };
        var output = new Option<string>("--out") { Description = "PNG file to write.", Required = true };
        var cmd = new Command("curves", "Plot validation curves of runs against optimizer steps (PNG).") { files, metric, output };
        cmd.SetAction(p => CommandRunner.Run(context, () =>
        {
            var name = p.GetValue(metric)!;
            var curves = p.GetValue(files)!.Select(spec =>
            {
                var cut = spec.LastIndexOf('=');
                return cut > 0 ? LearningCurves.Read(spec[..cut], name, spec[(cut + 1)..]) : LearningCurves.Read(spec, name, null);
            }).ToList();
            var target = p.GetValue(output)!;
            if (!target.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new UserInputException($"--out {target}: expected a .png file name");
            LearningCurves.Plot(target, name, curves);
            // stderr, as it always was: curves has no --json and keeps stdout empty.
            context.Err.WriteLine($"wrote {target} ({curves.Count} curves)");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    static string Describe(SpeedCase c) => c.Status == CaseStatus.Ok
        ? $"{c.Model,-10} {c.Attention,-7} L={c.Length,6}: train step {c.TrainStepSeconds,8:F4} s, inference {c.InferSeconds,8:F4} s, {c.SamplesPerSecond,9:F1} seq/s, peak {c.PeakMemoryMb,8:F0} MB"
        : $"{c.Model,-10} {c.Attention,-7} L={c.Length,6}: {c.Status} ({c.Note})";

    static List<string> SplitList(string value, string option)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return parts.Count > 0 ? parts : throw new UserInputException($"{option}: expected a comma-separated list, got '{value}'");
    }

    static int ParsePositive(string s, string option) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new UserInputException($"{option}: expected positive integers, got '{s}'");

    static int Positive(int v, string option) => v > 0 ? v : throw new UserInputException($"{option}: expected a positive integer, got {v}");
}
