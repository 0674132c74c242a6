namespace Grela.Cli.Shell;

/// <summary>Process exit codes: a contract with scripts that call grela.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
}
