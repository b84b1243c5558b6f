using Voting.AppHost.Kubernetes;

namespace Voting.Deployment.Tests.Manifests;

public sealed class GitRemoteTests
{
    [Theory]
    [InlineData("git@github.com:contoso/voting.git", "https://github.com/contoso/voting.git")]
    [InlineData("https://token@github.com/contoso/voting", "https://github.com/contoso/voting.git")]
    [InlineData("https://github.com/contoso/voting.git", "https://github.com/contoso/voting.git")]
    public void A_hosted_remote_becomes_the_https_url_argo_cd_pulls(string origin, string expected)
    {
        Assert.True(GitRemote.IsHosted(origin));
        Assert.Equal(expected, GitRemote.Normalize(origin));
    }

    [Theory]
    [InlineData("/work/main")]
    [InlineData("../voting")]
    [InlineData("file:///srv/git/voting.git")]
    public void A_local_folder_is_no_repository_argo_cd_can_pull_so_the_placeholder_stays(string origin)
    {
        Assert.False(GitRemote.IsHosted(origin));
    }
}
