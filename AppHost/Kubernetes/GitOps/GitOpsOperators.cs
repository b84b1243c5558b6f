using Voting.AppHost.Kubernetes.ArgoCd;
using Voting.AppHost.Kubernetes.Flux;

namespace Voting.AppHost.Kubernetes.GitOps;

/// <summary>The operators gitops-manifests/ is rendered for. A platform runs one of them; both follow one promotion model.</summary>
internal static class GitOpsOperators
{
    public static IReadOnlyList<IGitOpsOperator> All { get; } = [new ArgoCdOperator(), new FluxOperator()];
}
