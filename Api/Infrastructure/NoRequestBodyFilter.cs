namespace Voting.Api.Infrastructure;

/// <summary>
/// The votes endpoints take everything from the URL. A request that carries a body anyway (a misdirected upload,
/// a 1 MB probe) is refused with 415 before it reaches Redis, rather than silently ignored.
/// </summary>
internal sealed class NoRequestBodyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        return hasBody
            ? ValueTask.FromResult<object?>(TypedResults.Problem(
                title: "No request body expected",
                detail: "These endpoints take no request body: the option is part of the URL.",
                statusCode: StatusCodes.Status415UnsupportedMediaType))
            : next(context);
    }
}
