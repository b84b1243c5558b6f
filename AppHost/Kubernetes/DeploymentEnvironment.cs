namespace Voting.AppHost.Kubernetes;

/// <summary>One overlay: where it deploys and whether it gets the production extras (autoscaling, disruption budgets).</summary>
public sealed record DeploymentEnvironment(string Name, string Namespace, bool IsProduction, string HostPrefix)
{
    public static IReadOnlyList<DeploymentEnvironment> For(string appName) =>
    [
        new("dev", $"{appName}-dev", IsProduction: false, HostPrefix: "dev."),
        new("prod", $"{appName}-prod", IsProduction: true, HostPrefix: ""),
    ];
}
