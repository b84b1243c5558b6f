namespace Voting.AppHost.Kubernetes;

/// <summary>
/// The layout CD writes into <c>environments/NAME/</c>, as Argo CD's Source Hydrator does: the rendered overlay in
/// one file, and a metadata file naming the source commit it was rendered from. The generator never writes these
/// folders; .github/scripts/hydrate-environment.sh (dev, on every build) and promote.sh (prod, by pull request) do.
/// </summary>
public static class HydratedEnvironment
{
    /// <summary>Every object of the environment, as <c>kustomize build overlays/NAME</c> rendered it.</summary>
    public const string ManifestFile = "manifest.yaml";

    /// <summary>JSON: the source commit (<c>drySha</c>), the images and, for prod, the dev deployment it promotes.</summary>
    public const string MetadataFile = "hydrator.metadata";
}
