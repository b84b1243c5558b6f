var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// The client's address and scheme first (the limiter, HSTS and the cookie's Secure flag read them), then headers on
// every answer, error pages included.
app.UseTrustedForwardedHeaders();
app.UseSecurityHeaders(ContentSecurityPolicies.Page);

// Unexpected failures get a plain error page, never a stack trace; Api outages are handled by the page (503).
app.UseExceptionHandler("/Error");
app.UseStatusCodePagesWithReExecute("/Error");
app.UseAllowedMethods();
// A form posted from another site is refused before it is read (no per-page token: see CrossOriginProtection).
app.UseCrossOriginProtection();
app.UseRateLimiter();

app.MapFavicon();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapDefaultEndpoints();
app.MapVersionEndpointWithApi();

app.Run();
