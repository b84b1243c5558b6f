using Microsoft.AspNetCore.Diagnostics;

namespace Voting.Api.Infrastructure;

/// <summary>
/// Turns Redis failures into answers a client can act on:
/// <list type="bullet">
/// <item>503 with Retry-After when Redis cannot serve for now and will by itself: unreachable, the connection lost under
/// the command, timed out, or refusing while it loads, fails over or is busy. A vote or a reset whose command may have
/// reached Redis (it was sent, or the client cannot say) may have taken effect, and the answer says so: a client that
/// retries it blindly could count a vote twice.</item>
/// <item>507 without Retry-After when Redis is full (maxmemory with noeviction): the vote is refused loudly, the
/// counts so far are kept, and only an operator (more memory, fewer keys) makes it pass, so a retry loop would not
/// help. Reads still work.</item>
/// <item>500 for any other Redis error (WRONGTYPE, a script error...): a bug or a damaged key, logged with the
/// exception, never hidden behind "try again".</item>
/// </list>
/// </summary>
internal sealed class RedisExceptionHandler(IProblemDetailsService problemDetails, ILogger<RedisExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>The problem details member that marks a vote or a reset that may have taken effect (value <c>unknown</c>).</summary>
    private const string OutcomeExtension = "outcome";

    private const string OutcomeUnknown = "unknown";

    /// <summary>
    /// Error prefixes Redis answers while it cannot serve for now: loading, a replica or primary change, busy, or
    /// refusing writes after a failed save (MISCONF).
    /// </summary>
    private static readonly string[] s_unavailablePrefixes =
        ["LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MISCONF"];

    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        exception switch
        {
            RedisConnectionException connection when MayHaveTakenEffect(httpContext, connection.CommandStatus) => OutcomeUnknownAsync(
                httpContext, exception, "The connection to the vote store was lost during the request"),
            RedisConnectionException => UnavailableAsync(httpContext, exception,
                "The vote store cannot be reached. Nothing was changed; try again shortly."),
            RedisTimeoutException when Writes(httpContext) => OutcomeUnknownAsync(
                httpContext, exception, "The vote store did not answer in time"),
            RedisTimeoutException => UnavailableAsync(httpContext, exception,
                "The vote store did not answer in time; try again shortly."),
            RedisServerException server when IsUnavailable(server) => UnavailableAsync(httpContext, exception,
                "The vote store is not accepting requests right now (for example, still loading its data). Try again shortly."),
            RedisServerException server when IsOutOfMemory(server) => FullAsync(httpContext, server),
            RedisServerException server => FailedAsync(httpContext, server),
            _ => ValueTask.FromResult(false),
        };

    /// <summary>
    /// Whether a request whose connection failed may still have changed the counts: it writes, and its command was
    /// sent, or the client cannot say (<see cref="CommandStatus.Unknown"/>, as for every command in flight when a
    /// connection dies). A command still waiting to be sent changed nothing.
    /// </summary>
    private static bool MayHaveTakenEffect(HttpContext httpContext, CommandStatus status) =>
        Writes(httpContext) && status is not (CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog);

    /// <summary>A vote or a reset; reads change nothing, however they fail.</summary>
    private static bool Writes(HttpContext httpContext) =>
        !HttpMethods.IsGet(httpContext.Request.Method) && !HttpMethods.IsHead(httpContext.Request.Method);

    private static bool IsUnavailable(RedisServerException exception) =>
        s_unavailablePrefixes.Any(prefix => exception.Message.StartsWith(prefix + " ", StringComparison.Ordinal));

    private static bool IsOutOfMemory(RedisServerException exception) =>
        exception.Message.StartsWith("OOM ", StringComparison.Ordinal);

    private async ValueTask<bool> UnavailableAsync(HttpContext httpContext, Exception exception, string detail,
        string? outcome = null)
    {
        // Expected while Redis restarts or fails over: one line, no stack trace.
        logger.LogWarning("Redis is unavailable: {Message}", exception.Message);
        httpContext.Response.Headers.RetryAfter = "1";
        return await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Votes are temporarily unavailable", detail, outcome);
    }

    /// <summary>
    /// A vote or a reset that may have run: the detail says so in words, and <c>"outcome": "unknown"</c> says it to a
    /// program (the Web tells the visitor), which should read the counts rather than send it again.
    /// </summary>
    private ValueTask<bool> OutcomeUnknownAsync(HttpContext httpContext, Exception exception, string what) =>
        UnavailableAsync(httpContext, exception,
            $"{what}; it may or may not have taken effect. Read the counts before retrying.", OutcomeUnknown);

    private async ValueTask<bool> FullAsync(HttpContext httpContext, RedisServerException exception)
    {
        logger.LogError(exception, "Redis is full (maxmemory reached with noeviction): votes are refused until it has room");
        return await WriteAsync(httpContext, StatusCodes.Status507InsufficientStorage, "The vote store is full",
            "The vote was not counted: the vote store has reached its memory limit. The counts so far are kept; an operator must make room.");
    }

    private async ValueTask<bool> FailedAsync(HttpContext httpContext, RedisServerException exception)
    {
        logger.LogError(exception, "Redis refused a command: {Message}", exception.Message);
        return await WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "The vote store refused the request",
            "The vote store answered with an error. This is not temporary; it has been logged.");
    }

    private ValueTask<bool> WriteAsync(HttpContext httpContext, int status, string title, string detail, string? outcome = null)
    {
        httpContext.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (outcome is not null)
        {
            context.ProblemDetails.Extensions[OutcomeExtension] = outcome;
        }

        return problemDetails.TryWriteAsync(context);
    }
}
