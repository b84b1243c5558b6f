using Microsoft.AspNetCore.Diagnostics;

namespace Voting.Api.Infrastructure;

/// <summary>
/// Turns "Redis cannot serve this now" into a 503 problem details with Retry-After, instead of a 500: unreachable
/// (the command was never sent), timed out (it may or may not have run), or refusing (LOADING after a restart,
/// READONLY, OOM).
/// </summary>
internal sealed class RedisUnavailableHandler(IProblemDetailsService problemDetails, ILogger<RedisUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var detail = exception switch
        {
            RedisConnectionException or VoteStoreUnavailableException =>
                "The vote store cannot be reached. Nothing was changed; try again shortly.",
            RedisTimeoutException =>
                "The vote store did not answer in time; the request may or may not have taken effect. Read the counts before retrying.",
            RedisServerException => "The vote store is not accepting requests right now (for example, still loading). Try again shortly.",
            _ => null,
        };
        if (detail is null)
        {
            return false;
        }

        logger.LogWarning("Redis is unavailable: {Message}", exception.Message);

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Votes are temporarily unavailable",
                Detail = detail,
            },
        });
    }
}
