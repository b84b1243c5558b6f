using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.ArgoCd;

/// <summary>
/// Argo CD Notifications that report every deployment back to GitHub as a commit status on the revision synced:
/// success once an environment is synced and healthy, failure when its sync fails or its health degrades. The
/// promotion workflow reacts to dev's status, so prod is offered only what dev runs. The GitHub App's credentials
/// (<c>github-appID</c>, <c>github-installationID</c>, <c>github-privateKey</c>) live in the Secret
/// <c>argocd-notifications-secret</c>, created by hand and never committed (docs/gitops.md).
/// </summary>
internal static class ArgoCdNotifications
{
    public const string ConfigMapName = "argocd-notifications-cm";

    private const string Deployed = "on-deployed-commit-status";
    private const string Degraded = "on-degraded-commit-status";
    private const string SyncFailed = "on-sync-failed-commit-status";

    /// <summary>The annotations that subscribe an Application to the three triggers, through the github service.</summary>
    public static IReadOnlyDictionary<string, string> Subscriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [$"notifications.argoproj.io/subscribe.{Deployed}.github"] = "",
        [$"notifications.argoproj.io/subscribe.{Degraded}.github"] = "",
        [$"notifications.argoproj.io/subscribe.{SyncFailed}.github"] = "",
    };

    /// <summary>
    /// Our keys of Argo CD's notifications ConfigMap. Applied server-side, so the keys other teams set stay theirs;
    /// never pruned, because the ConfigMap belongs to the Argo CD installation.
    /// </summary>
    public static V1ConfigMap ConfigMap(GitOpsContext context) => new V1ConfigMap
    {
        Metadata = new V1ObjectMeta
        {
            Name = ConfigMapName,
            NamespaceProperty = ArgoCdMapping.ArgoCdNamespace,
            Annotations = new Dictionary<string, string>
            {
                [ArgoCdMapping.SyncWave] = "-1",
                ["argocd.argoproj.io/sync-options"] = "Prune=false,ServerSideApply=true",
            },
        },
        Data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["service.github"] = """
                appID: $github-appID
                installationID: $github-installationID
                privateKey: $github-privateKey

                """,
            [$"trigger.{Deployed}"] = """
                - description: Synced and healthy; once per revision.
                  oncePer: app.status.operationState?.syncResult?.revision
                  send: [commit-status-deployed]
                  when: app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'

                """,
            [$"trigger.{Degraded}"] = """
                - description: Health degraded after a sync; once per revision.
                  oncePer: app.status.operationState?.syncResult?.revision
                  send: [commit-status-degraded]
                  when: app.status.operationState != nil and app.status.health.status == 'Degraded'

                """,
            [$"trigger.{SyncFailed}"] = """
                - description: The sync failed; once per revision.
                  oncePer: app.status.operationState?.syncResult?.revision
                  send: [commit-status-sync-failed]
                  when: app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']

                """,
            ["template.commit-status-deployed"] = Template("success", "is synced and healthy"),
            ["template.commit-status-degraded"] = Template("failure", "is degraded"),
            ["template.commit-status-sync-failed"] = Template("error", "failed to sync"),
        },
    }.Initialize();

    private static string Template(string state, string what) => $$$"""
        message: Application {{.app.metadata.name}} {{{what}}} at {{.app.status.operationState.syncResult.revision}}.
        github:
          repoURLPath: "{{.app.spec.source.repoURL}}"
          revisionPath: "{{.app.status.operationState.syncResult.revision}}"
          status:
            state: {{{state}}}
            label: "{{{GitOpsContext.DeploymentStatusContext("{{.app.metadata.name}}")}}}"
            targetURL: "{{.context.argocdUrl}}/applications/argocd/{{.app.metadata.name}}?operation=true"

        """;
}
