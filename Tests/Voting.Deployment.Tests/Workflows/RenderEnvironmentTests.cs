namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// render_environment (.github/scripts/common.sh), how CD renders an environment with the images it built: through a
/// kustomization of its own over the overlay, so the overlay is never edited and the rendering depends on nothing else.
/// Rendering uses kustomize where installed, else kubectl's built-in kustomize.
/// </summary>
public sealed class RenderEnvironmentTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Sets_each_image_by_digest_or_tag_and_changes_nothing_else()
    {
        RequiredTools.Require("bash", "git", "kubectl");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
        var before = await Script.RunCheckedAsync("kubectl", repo.Path, "kustomize", "gitops-manifests/overlays/prod");

        var rendered = await RenderAsync(repo, "gitops-manifests/overlays/prod",
            $"voting/api=myacr.azurecr.io/voting/api@{Digest}", "voting/web=myacr.azurecr.io:5000/voting/web:3f2c1d0");

        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var expected = before
            .Replace("image: voting/api:0.0.0-unset", $"image: myacr.azurecr.io/voting/api@{Digest}", StringComparison.Ordinal)
            .Replace("image: voting/web:0.0.0-unset", "image: myacr.azurecr.io:5000/voting/web:3f2c1d0", StringComparison.Ordinal);
        Assert.Equal(expected, rendered.Output);
        Assert.Contains("image: registry.example/redis:7.0", rendered.Output, StringComparison.Ordinal); // the overlay's own
        Assert.Equal("", await repo.StatusAsync());
    }

    [Fact]
    public async Task An_image_name_no_container_uses_fails_rather_than_deploy_the_old_image()
    {
        RequiredTools.Require("bash", "git", "kubectl");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);

        var rendered = await RenderAsync(repo, "gitops-manifests/overlays/dev", $"voting/wbe=myacr.azurecr.io/voting/web@{Digest}");

        Assert.Equal(1, rendered.ExitCode);
        Assert.Contains("no container of gitops-manifests/overlays/dev renders with image myacr.azurecr.io/voting/web@", rendered.Error, StringComparison.Ordinal);
        Assert.Equal("", rendered.Output);
    }

    [Theory]
    [InlineData("voting/api")]
    [InlineData("=myacr.azurecr.io/voting/api:1")]
    [InlineData("voting/api=")]
    [InlineData("voting/api=myacr.azurecr.io/voting/api")] // no tag or digest: the base's placeholder tag would stay
    [InlineData("voting/api=myacr.azurecr.io/voting/api@md5:0123")]
    [InlineData("voting/api=myacr.azurecr.io/voting/api:1\"\nnewName: evil")]
    public async Task A_malformed_image_is_rejected_before_rendering(string argument)
    {
        RequiredTools.Require("bash", "git", "kubectl");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);

        var rendered = await RenderAsync(repo, "gitops-manifests/overlays/dev", argument);

        Assert.Equal(2, rendered.ExitCode);
        Assert.Contains("render_environment: expected NAME=", rendered.Error, StringComparison.Ordinal);
    }

    private static Task<ScriptResult> RenderAsync(TempGitRepository repo, string overlay, params string[] images) =>
        Script.RunAsync("bash", ["-c", $"source '{Script.Path("common.sh")}' && render_environment \"$@\"", "render", overlay, .. images], repo.Path);
}
