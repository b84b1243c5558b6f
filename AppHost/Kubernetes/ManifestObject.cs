namespace Voting.AppHost.Kubernetes;

/// <summary>One object of gitops-manifests/: its YAML, and the kind and name its file is named after.</summary>
internal sealed record ManifestObject(string ApiVersion, string Kind, string Name, string Yaml)
{
    /// <summary>The API group, empty for the core group (<c>v1</c>).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    public string FileName => $"{Kind.ToLowerInvariant()}-{Name}.yaml";

    /// <summary>An object built with KubernetesClient's models.</summary>
    public static ManifestObject From(IKubernetesObject item) => Parse(ManifestSet.Serialize(item));

    /// <summary>The object a YAML document holds, e.g. a filled <see cref="Template"/>.</summary>
    public static ManifestObject Parse(string yaml)
    {
        var header = KubernetesYaml.Deserialize<Header>(yaml);
        return new(header.ApiVersion, header.Kind, header.Metadata.Name, yaml);
    }

    private sealed class Header : KubernetesObject
    {
        public V1ObjectMeta Metadata { get; set; } = new();
    }
}
