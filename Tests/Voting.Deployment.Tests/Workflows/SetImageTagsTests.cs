
namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/set-image-tags.sh, with which the bootstrap records Redis by digest in every overlay, on a real git
/// repository: only the overlay changes and kustomize still renders. Where kustomize is installed (GitHub's runners)
/// this runs `kustomize edit set image`; elsewhere the script's structured YAML fallback. Rendering uses kustomize or
/// kubectl's built-in kustomize.
/// </summary>
public sealed class SetImageTagsTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string RedisByDigest = $"myacr.azurecr.io/redis@{Digest}";
    private const string ApiByDigest = $"myacr.azurecr.io/voting/api@{Digest}";
    private const string WebByTag = "myacr.azurecr.io/voting/web:3f2c1d0e9b8a";

    [Fact]
    public async Task Sets_the_images_in_the_overlay_and_changes_nothing_else()
    {
        RequiredTools.Require("bash", "git", "kubectl", "node", "npm");

        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
        var devBefore = await RenderAsync(repo, "dev");
        var prodBefore = await RenderAsync(repo, "prod");

        var result = await SetImagesAsync(repo, "dev", $"redis={RedisByDigest}", $"voting/web={WebByTag}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($" M {MinimalOverlays.DevKustomization}", await repo.StatusAsync());
        // The rendered objects differ in their images and in nothing else: a mapped name and a new one alike.
        var expected = devBefore
            .Replace("image: registry.example/redis:7.0", $"image: {RedisByDigest}", StringComparison.Ordinal)
            .Replace("image: voting/web:0.0.0-unset", $"image: {WebByTag}", StringComparison.Ordinal);
        Assert.Equal(expected, await RenderAsync(repo, "dev"));
        Assert.Equal(prodBefore, await RenderAsync(repo, "prod"));
    }

    [Fact]
    public async Task A_digest_replaces_an_earlier_tag_and_a_tag_an_earlier_digest()
    {
        RequiredTools.Require("bash", "git", "kubectl", "node", "npm");

        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);

        var first = await SetImagesAsync(repo, "prod", $"voting/api={ApiByDigest}", $"voting/web={WebByTag}");
        var second = await SetImagesAsync(repo, "prod", "voting/api=myacr.azurecr.io/voting/api:next", $"voting/web=myacr.azurecr.io/voting/web@{Digest}");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        // A digest left behind would win over the new tag when rendering.
        var rendered = await RenderAsync(repo, "prod");
        Assert.Contains("image: myacr.azurecr.io/voting/api:next\n", rendered, StringComparison.Ordinal);
        Assert.Contains($"image: myacr.azurecr.io/voting/web@{Digest}\n", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_name_that_no_container_uses_fails_and_leaves_the_overlay_unchanged()
    {
        RequiredTools.Require("bash", "git", "kubectl", "node", "npm");

        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);

        // A typo in the name: kustomize would happily add an entry that matches nothing and deploy the old image.
        var result = await SetImagesAsync(repo, "dev", $"voting/api={ApiByDigest}", $"voting/wbe={WebByTag}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no container renders with image", result.Error, StringComparison.Ordinal);
        Assert.Equal("", await repo.StatusAsync());
    }

    [Theory]
    [InlineData("voting/api")]
    [InlineData("=myacr.azurecr.io/voting/api:1")]
    [InlineData("voting/api=")]
    public async Task A_malformed_argument_is_rejected_before_any_edit(string argument)
    {
        RequiredTools.Require("bash", "git", "kubectl", "node", "npm");

        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);

        var result = await SetImagesAsync(repo, "dev", argument);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage:", result.Error, StringComparison.Ordinal);
        Assert.Equal("", await repo.StatusAsync());
    }

    private static Task<ScriptResult> SetImagesAsync(TempGitRepository repo, string environment, params string[] images) =>
        Script.RunAsync(Script.Path("set-image-tags.sh"), [$"gitops-manifests/overlays/{environment}", .. images], repo.Path);

    private static async Task<string> RenderAsync(TempGitRepository repo, string environment)
    {
        var overlay = $"gitops-manifests/overlays/{environment}";
        var kustomize = await Script.RunAsync("sh", ["-c", "command -v kustomize"], repo.Path);
        return kustomize.ExitCode == 0
            ? await Script.RunCheckedAsync("kustomize", repo.Path, "build", overlay)
            : await Script.RunCheckedAsync("kubectl", repo.Path, "kustomize", overlay);
    }
}
