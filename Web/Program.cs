var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Unexpected failures get a plain error page, never a stack trace; Api outages are handled by the page (503).
app.UseExceptionHandler("/Error");
app.UseStatusCodePagesWithReExecute("/Error");

app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapDefaultEndpoints();

app.Run();
