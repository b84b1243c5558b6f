namespace Voting.AppHost.Kubernetes;

/// <summary>
/// One environment: where it deploys and whether it gets the production extras (autoscaling, disruption budgets).
/// Its overlay (<c>overlays/NAME</c>) is rendered from the AppHost; what the cluster syncs is the overlay CD renders
/// into <see cref="ManifestFile"/> on the environment's own <see cref="Branch"/>, so a merge to main reaches dev only
/// through CD, and prod only through a merged promotion.
/// </summary>
public sealed record DeploymentEnvironment(string Name, string Namespace, bool IsProduction, string HostPrefix)
{
    /// <summary>The file at the root of an environment's branch that holds its rendered overlay, images set.</summary>
    public const string ManifestFile = "manifest.yaml";

    /// <summary>Environments in promotion order: what dev has proved is what prod is offered.</summary>
    public static IReadOnlyList<DeploymentEnvironment> For(string appName) =>
    [
        new("dev", $"{appName}-dev", IsProduction: false, HostPrefix: "dev."),
        new("prod", $"{appName}-prod", IsProduction: true, HostPrefix: ""),
    ];

    /// <summary>The overlay, relative to gitops-manifests/.</summary>
    public string OverlayFolder => $"overlays/{Name}";

    /// <summary>
    /// The branch of this repository that Argo CD and Flux sync the environment from. The CD scripts name it the same
    /// way (<c>environments/$environment</c> in .github/scripts/hydrate-environment.sh and promote.sh).
    /// </summary>
    public string Branch => $"environments/{Name}";
}
