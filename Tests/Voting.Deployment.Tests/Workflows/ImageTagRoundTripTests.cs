using Voting.Deployment.Tests.Manifests;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// The GitOps loop on the real overlays: CD sets new image tags in gitops-manifests/overlays/dev, then a developer
/// regenerates the manifests from the AppHost. The generator must keep CI's tags byte for byte, or the drift check
/// would fail on the first push after every deployment.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class ImageTagRoundTripTests(RenderedManifestsFixture fixture)
{
    private const string Api = "myacr.azurecr.io/voting/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Web = "myacr.azurecr.io/voting/web:3f2c1d0e9b8a";

    [Fact]
    public async Task Regenerating_keeps_the_image_tags_CD_set_on_the_real_overlay()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var copy = Directory.CreateTempSubdirectory("gitops-manifests-roundtrip-").FullName;
        try
        {
            fixture.Manifests.WriteTo(copy);
            var overlay = Path.Combine(copy, "overlays", "dev");

            var edit = await Script.RunAsync(Script.Path("set-image-tags.sh"), [overlay, $"voting/api={Api}", $"voting/web={Web}"]);
            Assert.True(edit.ExitCode == 0, edit.ToString());
            var edited = await File.ReadAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), TestContext.Current.CancellationToken);

            var regenerated = await fixture.RenderOverAsync(copy);

            Assert.Contains("digest: sha256:0123456789abcdef", edited, StringComparison.Ordinal);
            Assert.Contains("newTag: 3f2c1d0e9b8a", edited, StringComparison.Ordinal);
            Assert.Equal(edited, regenerated.Files["overlays/dev/kustomization.yaml"]);
            Assert.Equal(fixture.Manifests.Files["overlays/prod/kustomization.yaml"], regenerated.Files["overlays/prod/kustomization.yaml"]);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
