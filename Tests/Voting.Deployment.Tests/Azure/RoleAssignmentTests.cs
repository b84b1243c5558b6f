namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// Least privilege, read from the compiled template: every role assignment names a role from this allow-list and
/// sits at the one kind of scope that role is meant for. Owner, Contributor and the role-granting roles are
/// nowhere, by construction (they are not in the list).
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class RoleAssignmentTests(CompiledTemplateFixture infra)
{
    private const string Subscription = "subscription";

    /// <summary>Built-in role GUID -> (name, the scope type it may be assigned at).</summary>
    private static readonly Dictionary<string, (string Role, string Scope)> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["7f951dda-4ed3-4680-a7ca-43fe172d538d"] = ("AcrPull", "Microsoft.ContainerRegistry/registries"),
        ["8311e382-0749-4cb8-b61a-304f252e45ec"] = ("AcrPush", "Microsoft.ContainerRegistry/registries"),
        ["4abbcc35-e782-43d8-92c5-2d3f1bd2253f"] = ("Azure Kubernetes Service Cluster User Role", "Microsoft.ContainerService/managedClusters"),
        ["b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"] = ("Azure Kubernetes Service RBAC Cluster Admin", "Microsoft.ContainerService/managedClusters"),
        // Writers get one namespace each, never the whole cluster.
        ["a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb"] = ("Azure Kubernetes Service RBAC Writer", "Microsoft.ContainerService/managedClusters/namespaces"),
        ["4633458b-17de-408a-b874-0445c86b69e6"] = ("Key Vault Secrets User", "Microsoft.KeyVault/vaults"),
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = ("Key Vault Secrets Officer", "Microsoft.KeyVault/vaults"),
        ["43d0d8ad-25c7-4714-9337-8ba259a9fe05"] = ("Monitoring Reader", "Microsoft.OperationalInsights/workspaces"),
        ["b0d8363b-8ddd-447d-831f-62ca05bff136"] = ("Monitoring Data Reader", "Microsoft.Monitor/accounts"),
        ["22926164-76b3-42b3-bc55-97df8dab3e41"] = ("Grafana Admin", "Microsoft.Dashboard/grafana"),
        // The pull-request what-if identity reads the subscription it previews; it can change nothing.
        ["acdd72a7-3385-48ef-bd42-f606fba81ae7"] = ("Reader", Subscription),
    };

    [Fact]
    public void Every_role_assignment_names_an_allowed_role_at_its_allowed_scope()
    {
        var assignments = infra.Resources().Where(r => r.Type == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);

        var problems = new List<string>();
        foreach (var assignment in assignments)
        {
            var roleId = assignment.Evaluate("properties.roleDefinitionId");
            var guid = roleId?.Split('/')[^1];
            if (guid is null || !Allowed.TryGetValue(guid, out var allowed))
            {
                problems.Add($"{assignment.Name}: role {roleId ?? "(decided at deployment)"} is not on the allow-list");
                continue;
            }

            var scope = ScopeType(assignment);
            if (!string.Equals(scope, allowed.Scope, StringComparison.Ordinal))
            {
                problems.Add($"{assignment.Name}: {allowed.Role} at {scope}, allowed only at {allowed.Scope}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Each_deploy_identity_writes_to_its_own_namespace_only()
    {
        var namespaces = infra.Resources()
            .Where(r => r.Type == "Microsoft.Authorization/roleAssignments" && ScopeType(r) == "Microsoft.ContainerService/managedClusters/namespaces")
            .Select(r => r.Evaluate("scope")!.Split('/')[^1])
            .Order(StringComparer.Ordinal);

        Assert.Equal(["voting-dev", "voting-prod"], namespaces);
    }

    /// <summary>The resource type of the assignment's scope; an unscoped assignment lands on its template's scope.</summary>
    private static string ScopeType(DeployedResource assignment)
    {
        if (assignment.Definition["scope"] is null)
        {
            return assignment.ScopeKind;
        }

        // resourceId:<namespace>/<type>[/<child type>]/<name>[/<child name>]: as many names as type segments.
        var evaluated = assignment.Evaluate("scope") ?? throw new InvalidOperationException($"{assignment.Name}: scope decided at deployment");
        var segments = evaluated["resourceId:".Length..].Split('/');
        var typeSegments = segments.Length / 2;
        return string.Join('/', segments.Take(typeSegments + 1));
    }
}
