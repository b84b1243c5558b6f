using Voting.Deployment.Tests.Manifests;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// The bootstrap records Redis by digest in every overlay (set-image-tags.sh), then a developer regenerates the
/// manifests from the AppHost. The generator must keep that entry byte for byte, or the drift check would fail on the
/// first push after the bootstrap; and it must never add entries for the images CD builds, which CD gives each
/// environment when it renders it.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class ImageTagRoundTripTests(RenderedManifestsFixture fixture)
{
    private const string Redis = "myacr.azurecr.io/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Regenerating_keeps_the_Redis_digest_the_bootstrap_recorded_and_adds_no_CD_image()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var copy = Directory.CreateTempSubdirectory("gitops-manifests-roundtrip-").FullName;
        try
        {
            fixture.Manifests.WriteTo(copy);
            var overlay = Path.Combine(copy, "overlays", "dev");

            var edit = await Script.RunAsync(Script.Path("set-image-tags.sh"), [overlay, $"redis={Redis}"]);
            Assert.True(edit.ExitCode == 0, edit.ToString());
            var edited = await File.ReadAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), TestContext.Current.CancellationToken);

            var regenerated = await fixture.RenderOverAsync(copy);

            Assert.Contains("digest: sha256:0123456789abcdef", edited, StringComparison.Ordinal);
            Assert.Equal(edited, regenerated.Files["overlays/dev/kustomization.yaml"]);
            Assert.Equal(fixture.Manifests.Files["overlays/prod/kustomization.yaml"], regenerated.Files["overlays/prod/kustomization.yaml"]);
            Assert.DoesNotContain("voting/", regenerated.Files["overlays/dev/kustomization.yaml"], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
