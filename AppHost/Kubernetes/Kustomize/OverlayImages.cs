namespace Voting.AppHost.Kubernetes.Kustomize;

/// <summary>
/// The <c>images:</c> entries already in an overlay. The bootstrap records Redis there by digest, so regenerating
/// keeps them; only an image with no entry gets the configured registry and initial tag.
/// </summary>
internal static class OverlayImages
{
    public static IReadOnlyDictionary<string, KustomizeImage> Read(string? manifestsDirectory, string overlay)
    {
        var file = manifestsDirectory is null ? null : Path.Combine(manifestsDirectory, "overlays", overlay, "kustomization.yaml");
        if (file is null || !File.Exists(file))
        {
            return new Dictionary<string, KustomizeImage>();
        }

        var kustomization = KubernetesYaml.Deserialize<Kustomization>(File.ReadAllText(file));
        return (kustomization.Images ?? []).Where(i => i.Name is not null).ToDictionary(i => i.Name!, StringComparer.Ordinal);
    }
}
