namespace Voting.AppHost.Kubernetes;

/// <summary>
/// One environment: where it deploys and whether it gets the production extras (autoscaling, disruption budgets).
/// Its overlay (<c>overlays/NAME</c>) is rendered from the AppHost; what the cluster syncs is the overlay hydrated
/// by CD into <see cref="HydratedFolder"/>, so a merge to main reaches dev, and only a promotion reaches prod.
/// </summary>
public sealed record DeploymentEnvironment(string Name, string Namespace, bool IsProduction, string HostPrefix)
{
    /// <summary>Environments in promotion order: what dev has proved is what prod is offered.</summary>
    public static IReadOnlyList<DeploymentEnvironment> For(string appName) =>
    [
        new("dev", $"{appName}-dev", IsProduction: false, HostPrefix: "dev."),
        new("prod", $"{appName}-prod", IsProduction: true, HostPrefix: ""),
    ];

    /// <summary>The overlay, relative to gitops-manifests/.</summary>
    public string OverlayFolder => $"overlays/{Name}";

    /// <summary>The hydrated manifests (rendered overlay, images set), relative to gitops-manifests/.</summary>
    public string HydratedFolder => $"environments/{Name}";
}
