using Microsoft.AspNetCore.Diagnostics;

namespace Voting.Api.Infrastructure;

/// <summary>
/// Turns "Redis is unreachable" into a 503 problem details with Retry-After, instead of a 500:
/// the request changed nothing and may be retried once Redis is back.
/// </summary>
internal sealed class RedisUnavailableHandler(IProblemDetailsService problemDetails, ILogger<RedisUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (RedisConnectionException or RedisTimeoutException))
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
                Detail = "The vote store cannot be reached. Nothing was changed; try again shortly.",
            },
        });
    }
}
