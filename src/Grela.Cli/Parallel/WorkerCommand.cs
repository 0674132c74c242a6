using System.CommandLine;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Grela.Host;
using Grela.Training.Parallel;
using TorchSharp;

namespace Grela.Cli.Parallel;

/// <summary>
/// `grela worker` (hidden): the child process `grela train --workers N` starts for each extra
/// worker. It reads a handshake and then gradient requests on stdin and answers on stdout, so it
/// writes nothing else there.
/// </summary>
internal static class WorkerCommand
{
    public const string Name = "worker";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, "Compute shares of training steps for `grela train --workers` (started by it; speaks a binary protocol on stdin/stdout).")
        {
            Hidden = true,
        };
        command.SetAction(_ => CommandRunner.Run(context, () =>
        {
            // `timeout`, a terminal's Ctrl-C and job schedulers signal the whole process group. The
            // trainer decides how a run stops (it ends the step, writes `last`, then closes this
            // process's stdin), so a first signal here only cancels a token the worker never reads;
            // a second one still ends it at once, as it ends the trainer.
            using var stopsAreTheTrainers = context.Interrupts.Open();
            using var input = Console.OpenStandardInput();
            using var output = Console.OpenStandardOutput();
            var handshake = WorkerHandshake.Read(input);
            DeviceSelection.ApplyThreads(handshake.Threads);
            if (handshake.KeepFreedMemory)
                NativeAllocator.KeepFreedMemory();
            using var model = ModelRegistry.Get(handshake.Config.Model).Create(handshake.Config, handshake.ItemCount, torch.CPU);
            GradientWorker.Serve(model, input, output);
            return ExitCodes.Success;
        }));
        return command;
    }
}
