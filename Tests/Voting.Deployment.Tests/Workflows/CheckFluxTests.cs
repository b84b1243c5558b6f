namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/check-flux.sh, which the Flux install steps run: the notification-controller must name the
/// promotion's commit status (1.6, Flux 2.6, for commitStatusExpr) and post failures (not 1.8.x, Flux 2.8).
/// One stand-in: kubectl answers with the image a cluster would report, since no cluster runs here.
/// </summary>
public sealed class CheckFluxTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("voting-check-flux-").FullName;

    [Theory]
    [InlineData("ghcr.io/fluxcd/notification-controller:v1.6.0", "1.6.0")]
    [InlineData("ghcr.io/fluxcd/notification-controller:v1.7.5-15", "1.7.5")] // a distribution's rebuild of 1.7.5
    [InlineData("registry.local:5000/fluxcd/notification-controller:v1.9.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "1.9.3")]
    public async Task A_flux_that_names_and_reports_every_outcome_passes(string image, string version)
    {
        var result = await CheckAsync(image);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"notification-controller {version} reports deployments", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ghcr.io/fluxcd/notification-controller:v1.5.0", "older than 1.6")]
    [InlineData("ghcr.io/fluxcd/notification-controller:v1.8.4", "posts no failure status")]
    [InlineData("ghcr.io/fluxcd/notification-controller:latest", "cannot read a version")]
    public async Task A_flux_that_cannot_report_as_the_promotion_expects_is_refused(string image, string reason)
    {
        var result = await CheckAsync(image);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    private async Task<ScriptResult> CheckAsync(string image)
    {
        RequiredTools.Require("bash");
        var kubectl = Path.Combine(_bin, "kubectl");
        await File.WriteAllTextAsync(kubectl, $"#!/usr/bin/env bash\nprintf '%s' '{image}'\n");
        Script.MakeExecutable(kubectl);
        return await Script.RunAsync(Script.Path("check-flux.sh"), [], environment: new Dictionary<string, string>
        {
            ["PATH"] = $"{_bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
        });
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);
}
