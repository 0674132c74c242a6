using Grela.Errors;

namespace Grela.Runs;

/// <summary>A checkpoint that cannot be used: truncated, corrupt, or for another model or dataset.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : UserInputException(message, inner);
