namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// Least privilege, read from the compiled template: every role assignment names a role from this allow-list and
/// sits at a kind of scope that role is meant for; the roles that read Secrets go to the platform admin only. Owner and
/// the role-granting roles are nowhere, by construction (they are not in the list); Contributor only on the backup
/// snapshot group.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class RoleAssignmentTests(CompiledTemplateFixture infra)
{
    private const string Subscription = "subscription";
    private const string ResourceGroup = "resourceGroup";
    private const string Cluster = "Microsoft.ContainerService/managedClusters";
    private const string Storage = "Microsoft.Storage/storageAccounts";

    /// <summary>
    /// Role -> (name, the scope types it may be assigned at, whether only the admin may hold it). A built-in role is
    /// its GUID; a custom role of the template is the symbolic name of its definition.
    /// </summary>
    private static readonly Dictionary<string, (string Role, string[] Scopes, bool AdminOnly)> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["7f951dda-4ed3-4680-a7ca-43fe172d538d"] = ("AcrPull", ["Microsoft.ContainerRegistry/registries"], false),
        ["8311e382-0749-4cb8-b61a-304f252e45ec"] = ("AcrPush", ["Microsoft.ContainerRegistry/registries"], false),
        ["4abbcc35-e782-43d8-92c5-2d3f1bd2253f"] = ("Azure Kubernetes Service Cluster User Role", [Cluster], false),
        // Reads and writes Secrets everywhere in the cluster: the admin's, never a workflow's.
        ["b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"] = ("Azure Kubernetes Service RBAC Cluster Admin", [Cluster], true),
        ["4633458b-17de-408a-b874-0445c86b69e6"] = ("Key Vault Secrets User", ["Microsoft.KeyVault/vaults"], false),
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = ("Key Vault Secrets Officer", ["Microsoft.KeyVault/vaults"], true),
        ["43d0d8ad-25c7-4714-9337-8ba259a9fe05"] = ("Monitoring Reader", ["Microsoft.OperationalInsights/workspaces"], false),
        ["b0d8363b-8ddd-447d-831f-62ca05bff136"] = ("Monitoring Data Reader", ["Microsoft.Monitor/accounts"], false),
        ["22926164-76b3-42b3-bc55-97df8dab3e41"] = ("Grafana Admin", ["Microsoft.Dashboard/grafana"], false),
        // Azure Backup for AKS: the vault reads the cluster and the snapshot group.
        ["acdd72a7-3385-48ef-bd42-f606fba81ae7"] = ("Reader", [Cluster, ResourceGroup], false),
        ["7efff54f-a5b4-42b5-a1c5-5411624893ce"] = ("Disk Snapshot Contributor", [ResourceGroup], false),
        ["959f8984-c045-4866-89c7-12bf9737be2e"] = ("Data Operator for Managed Disks", [ResourceGroup], false),
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = ("Storage Blob Data Contributor", [Storage], false),
        // The cluster identity creates the snapshots, in a resource group that holds nothing else (see below).
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = ("Contributor", [ResourceGroup], false),
        // Custom roles: each deploy identity in its own namespace; the pull-request what-if identity where it previews.
        ["deployerRole"] = ("Voting namespace deployer", ["Microsoft.ContainerService/managedClusters/namespaces"], false),
        ["whatIfRole"] = ("Voting infra what-if", [Subscription], false),
    };

    [Fact]
    public void Every_role_assignment_names_an_allowed_role_at_its_allowed_scope()
    {
        var assignments = infra.Resources().Where(r => r.Type == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);

        var admin = infra.Parameters["adminPrincipalId"]!["value"]!.GetValue<string>();
        var problems = new List<string>();
        foreach (var assignment in assignments)
        {
            var roleId = assignment.Evaluate("properties.roleDefinitionId");
            var role = roleId is null ? null : RoleKey(roleId);
            if (role is null || !Allowed.TryGetValue(role, out var allowed))
            {
                problems.Add($"{assignment.Name}: role {roleId ?? "(decided at deployment)"} is not on the allow-list");
                continue;
            }

            var scope = ScopeType(assignment);
            if (!allowed.Scopes.Contains(scope, StringComparer.Ordinal))
            {
                problems.Add($"{assignment.Name}: {allowed.Role} at {scope}, allowed only at {string.Join(" or ", allowed.Scopes)}");
            }

            if (allowed.AdminOnly && assignment.Evaluate("properties.principalId") != admin)
            {
                problems.Add($"{assignment.Name}: {allowed.Role} reads Secrets and is for the platform admin only");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Contributor_is_held_only_in_the_group_that_keeps_the_backup_snapshots()
    {
        const string SnapshotsModule = "backupSnapshots";
        var contributors = infra.Resources()
            .Where(r => r.Type == "Microsoft.Authorization/roleAssignments"
                && r.Evaluate("properties.roleDefinitionId")?.EndsWith("/b24988ac-6180-42a0-ab88-20f7382dd24c", StringComparison.Ordinal) == true)
            .ToList();
        var snapshotGroup = infra.Resources().Single(r => r.Name == SnapshotsModule).Definition["resourceGroup"]!.GetValue<string>();
        var deploymentsIntoIt = infra.Resources()
            .Where(r => r.Type == "Microsoft.Resources/deployments" && r.Definition["resourceGroup"]?.GetValue<string>() == snapshotGroup)
            .Select(r => r.Name);

        Assert.NotEmpty(contributors);
        Assert.All(contributors, c => Assert.Equal(SnapshotsModule, c.Module));
        Assert.EndsWith("-backup-snapshots', parameters('resourceGroupName'))]", snapshotGroup, StringComparison.Ordinal);
        Assert.Equal([SnapshotsModule], deploymentsIntoIt);
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

    /// <summary>
    /// A built-in role's GUID, or the symbolic name of the template's role definition whose name (guid of its seeds) the
    /// ID ends with.
    /// </summary>
    private string? RoleKey(string roleId)
    {
        var last = roleId.Split('/')[^1];
        if (!last.StartsWith("guid(", StringComparison.Ordinal))
        {
            return last;
        }

        return infra.Resources()
            .Where(r => r.Type == "Microsoft.Authorization/roleDefinitions" && r.Evaluate("name") == last)
            .Select(r => r.Name)
            .SingleOrDefault();
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
