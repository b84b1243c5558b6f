using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Voting.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

public static class VersionEndpointExtensions
{
    public const string VersionEndpointPath = "/version";

    /// <summary>
    /// The <see cref="BuildIdentity"/> of the running service: the one registered in its services if any (a host that
    /// must report a known build), else read once from the service's assembly.
    /// </summary>
    public static BuildIdentity GetBuildIdentity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<BuildIdentity>() is { } registered)
        {
            return registered;
        }

        // The entry assembly in a service's own process (Native AOT included); a host that runs the service in another
        // process (a test host) names the service's assembly as the application name.
        var name = app.Environment.ApplicationName;
        if (Assembly.GetEntryAssembly() is { } entry && entry.GetName().Name == name)
        {
            return BuildIdentity.Of(entry);
        }

        try
        {
            return BuildIdentity.Of(Assembly.Load(new AssemblyName(name)));
        }
        catch (IOException)
        {
            // An application name that names no assembly: nothing to read a commit from, which is no reason to stop.
            return new(name, BuildIdentity.UnknownRevision);
        }
    }

    /// <summary>
    /// Maps GET /version: <c>{"service": ..., "revision": ...}</c>, serialized once, so an answer costs a copy of a few
    /// bytes. <c>no-store</c>: the answer changes with every rollout, and a cached one would vouch for a build gone.
    /// </summary>
    public static IEndpointConventionBuilder MapVersionEndpoint(this WebApplication app)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(app.GetBuildIdentity(), BuildIdentityJsonContext.Default.BuildIdentity);
        return app.MapMethods(VersionEndpointPath, [HttpMethods.Get, HttpMethods.Head], context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
    }
}
