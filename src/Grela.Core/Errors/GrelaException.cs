namespace Grela.Errors;

/// <summary>
/// An error the user can fix (bad input file, bad option, incompatible checkpoint). The CLI prints
/// its message without a stack trace and exits with code 2.
/// </summary>
public class UserInputException(string message, Exception? inner = null) : Exception(message, inner);
