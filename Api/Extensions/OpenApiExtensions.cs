namespace Voting.Api.Extensions;

public static class OpenApiExtensions
{
    /// <summary>Serves /openapi/v1.json outside Development when true; in Development it is served unless false.</summary>
    public const string EnabledKey = "OpenApi:Enabled";

    /// <summary>
    /// The OpenAPI document describes every endpoint to whoever asks: served in Development, and in production only
    /// when <see cref="EnabledKey"/> turns it on. The interactive reference (Scalar) is Development only.
    /// </summary>
    public static WebApplication MapOpenApiWhenEnabled(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var enabled = app.Configuration.GetLastNonEmpty(EnabledKey) switch
        {
            null => app.Environment.IsDevelopment(),
            var text when bool.TryParse(text, out var value) => value,
            var text => throw new InvalidOperationException($"{EnabledKey} must be 'true' or 'false', not '{text}'."),
        };
        if (enabled)
        {
            app.MapOpenApi();
        }

        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
