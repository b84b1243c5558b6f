using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// The custom roles the workflows hold, read from the compiled template. Azure RBAC for Kubernetes turns a request into
/// &lt;group&gt;/&lt;resource&gt;/&lt;verb&gt; and gives subresources other than pods/exec their resource's verb, so
/// pods/attach and pods/portforward are pods/write, and a service account token request is serviceaccounts/write.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class CustomRoleTests(CompiledTemplateFixture infra)
{
    private const string Prefix = "Microsoft.ContainerService/managedClusters/";

    /// <summary>Data actions that read a Secret, enter a pod, mint a token, act as someone else, or delete what holds votes.</summary>
    private static readonly (string Action, string Why)[] Forbidden =
    [
        ($"{Prefix}secrets/read", "reads Secrets"),
        ($"{Prefix}pods/exec/action", "execs into pods"),
        ($"{Prefix}pods/write", "attaches to pods and port-forwards (pods/attach, pods/portforward)"),
        ($"{Prefix}serviceaccounts/write", "requests service account tokens (serviceaccounts/token)"),
        ($"{Prefix}serviceaccounts/impersonate/action", "impersonates service accounts"),
        ($"{Prefix}users/impersonate/action", "impersonates users"),
        ($"{Prefix}groups/impersonate/action", "impersonates groups"),
        ($"{Prefix}authentication.k8s.io/userextras/impersonate/action", "impersonates"),
        ($"{Prefix}rbac.authorization.k8s.io/rolebindings/write", "grants itself more"),
        ($"{Prefix}namespaces/delete", "deletes a namespace that holds votes"),
        ($"{Prefix}persistentvolumeclaims/delete", "deletes the claim that holds votes"),
        ($"{Prefix}persistentvolumes/delete", "deletes the volume that holds votes"),
    ];

    [Fact]
    public void No_custom_role_reads_secrets_execs_attaches_port_forwards_mints_tokens_or_impersonates()
    {
        var roles = CustomRoles().ToList();
        Assert.Equal(["deployerRole", "whatIfRole"], roles.Select(r => r.Name).Order(StringComparer.Ordinal));

        var problems = new List<string>();
        foreach (var role in roles)
        {
            // Kubernetes requests are data actions: "*/read" among a role's (control plane) actions reaches none of them.
            foreach (var granted in Permissions(role, "dataActions"))
            {
                foreach (var (action, why) in Forbidden.Where(f => Grants(granted, f.Action)))
                {
                    problems.Add($"{role.Name}: {granted} {why} ({action})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_deploy_role_names_each_data_action_it_holds_and_no_control_plane_action()
    {
        var role = CustomRoles().Single(r => r.Name == "deployerRole");

        Assert.Empty(Permissions(role, "actions"));
        Assert.DoesNotContain(Permissions(role, "dataActions"), a => a.Contains('*', StringComparison.Ordinal));
        Assert.Empty(Permissions(role, "notDataActions"));
    }

    /// <summary>
    /// With <c>--validation-level ProviderNoRbac</c> what-if checks read access to each resource instead of the rights to
    /// deploy it: reading, previewing and validating are all the pull-request identity holds.
    /// </summary>
    [Fact]
    public void The_what_if_role_reads_previews_and_validates_only_with_the_validation_level_that_allows_it()
    {
        var role = CustomRoles().Single(r => r.Name == "whatIfRole");

        Assert.Equal(
            ["*/read", "Microsoft.Resources/deployments/validate/action", "Microsoft.Resources/deployments/whatIf/action"],
            Permissions(role, "actions").Order(StringComparer.Ordinal));
        Assert.Empty(Permissions(role, "notActions"));
        Assert.Empty(Permissions(role, "dataActions"));
        Assert.Equal("subscription", role.ScopeKind);

        Assert.Contains("--validation-level ProviderNoRbac", WhatIfCommand(), StringComparison.Ordinal);
    }

    /// <summary>The what-if command line of the pull-request workflow, its continuation lines joined.</summary>
    private static string WhatIfCommand()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, ".github", "workflows", "infra-whatif.yml"))
            .SkipWhile(line => !line.TrimStart().StartsWith("az deployment sub what-if", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(lines);
        var end = lines.FindIndex(line => !line.TrimEnd().EndsWith('\\'));
        return string.Join(' ', lines.Take(end + 1));
    }

    private IEnumerable<DeployedResource> CustomRoles() =>
        infra.Resources().Where(r => r.Type == "Microsoft.Authorization/roleDefinitions");

    /// <summary>One list of the role's permissions block, evaluated (the deploy role's list comes from a variable).</summary>
    internal static IReadOnlyList<string> Permissions(DeployedResource role, string list)
    {
        var permissions = role.Definition["properties"]!["permissions"]!.AsArray().Single()!;
        var value = ArmExpression.Evaluate(permissions[list]?.DeepClone(), role.Context);
        return value is JsonArray items ? [.. items.Select(i => ArmExpression.EvaluateString(i, role.Context)!)] : [];
    }

    /// <summary>Whether a granted action covers the action; Azure reads <c>*</c> anywhere in it as a wildcard.</summary>
    internal static bool Grants(string granted, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(granted).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase);
}
