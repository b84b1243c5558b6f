var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// The client's address and scheme first (the limiter and HSTS read them), then headers on every answer.
app.UseTrustedForwardedHeaders();
app.UseSecurityHeaders(ContentSecurityPolicies.Api, exemptPath: "/scalar");
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();

app.MapOpenApiWhenEnabled();
app.MapDefaultEndpoints();
app.MapVersionEndpoint();
app.MapVotesApi();

app.Run();
