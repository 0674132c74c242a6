using Microsoft.AspNetCore.Http;
namespace Grela.Cli.Serving;

/// <summary>
/// A request the server refuses: becomes an RFC 7807 problem document (application/problem+json)
/// with this status, title and detail. Thrown before anything is written, so a refused request
/// changes nothing.
/// </summary>
internal sealed class RequestProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;

    public static RequestProblem BadRequest(string title, string detail) => new(StatusCodes.Status400BadRequest, title, detail);
}
