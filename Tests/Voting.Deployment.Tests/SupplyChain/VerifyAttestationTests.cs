namespace Voting.Deployment.Tests.SupplyChain;

/// <summary>
/// .github/scripts/verify-attestation.sh, the gate in front of every deployment, against recorded answers of
/// `gh attestation verify --format json`. A fake gh replays them (Recorded/fake-gh.sh): GitHub's attestation API,
/// Sigstore and the registry cannot be reached from a test. What is tested is the script's decision, and that the
/// deployment after it does not run when it refuses.
/// </summary>
public sealed class VerifyAttestationTests : IDisposable
{
    private const string Repository = "contoso/voting-aks";
    private const string Digest = "3b4c7f0e9a1d2c5b6e8f7a9d0c1b2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d";
    private const string OtherDigest = "d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8";
    private const string ImageName = "contosoacr.azurecr.io/voting/api";
    private const string Image = $"{ImageName}@sha256:{Digest}";
    private const string Provenance = "https://slsa.dev/provenance/v1";
    private const string Sbom = "https://cyclonedx.org/bom";
    private const string Main = "refs/heads/main";
    private const string BuildImagesSigner = $"https://github.com/{Repository}/.github/workflows/build-images.yml@{Main}";

    private readonly string folder = Directory.CreateTempSubdirectory("voting-attest-").FullName;
    private string Recordings => Path.Combine(folder, "recorded");
    private string DeployedMarker => Path.Combine(folder, "deployed");

    public VerifyAttestationTests()
    {
        Directory.CreateDirectory(Recordings);
        var bin = Directory.CreateDirectory(Path.Combine(folder, "bin")).FullName;
        File.Copy(Recorded("fake-gh.sh"), Path.Combine(bin, "gh"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "gh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Passes_an_image_whose_digest_this_repository_built_and_attested_then_deploys()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", Verified(Provenance));
        Record("sbom", Verified(Sbom));

        var result = await DeployAsync(Image);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("build provenance OK: commit 4f8a6c2d0b9e71a35c6d8e2f10ab47c9d3e5f601", result.Output, StringComparison.Ordinal);
        Assert.Contains("SBOM OK", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(DeployedMarker), "The deployment step did not run after a successful verification.");
    }

    [Fact]
    public async Task Asks_gh_for_this_repository_and_the_image_build_workflow_run_for_main_by_digest()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", Verified(Provenance));
        Record("sbom", Verified(Sbom));

        await DeployAsync(Image);

        var calls = File.ReadAllLines(Path.Combine(Recordings, "calls"));
        Assert.Equal(2, calls.Length);
        Assert.All(calls, call => Assert.StartsWith(
            $"attestation verify oci://{Image} --repo {Repository} --signer-workflow github.com/{Repository}/.github/workflows/build-images.yml --source-ref {Main} ",
            call, StringComparison.Ordinal));
        Assert.All(calls, call => Assert.EndsWith("--format json", call, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_an_attestation_of_another_digest()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", Verified(Provenance, digest: OtherDigest));
        Record("sbom", Verified(Sbom));

        await AssertRefusedAsync(Image, $"an attestation is for another digest: sha256:{OtherDigest}");
    }

    [Fact]
    public async Task Refuses_an_image_with_no_attestation()
    {
        RequiredTools.Require("bash", "jq");

        File.WriteAllText(Path.Combine(Recordings, "provenance.stderr"),
            File.ReadAllText(Recorded("gh-attestation-verify-none.stderr")).Replace("{{DIGEST}}", Digest, StringComparison.Ordinal)
                .Replace("{{SUBJECT_NAME}}", ImageName, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(Recordings, "provenance.exit"), "1");

        await AssertRefusedAsync(Image, "no verified build provenance attestation from contoso/voting-aks");
    }

    [Fact]
    public async Task Refuses_an_image_built_in_another_repository()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", Verified(Provenance, sourceRepository: "https://github.com/mallory/voting-aks"));
        Record("sbom", Verified(Sbom));

        await AssertRefusedAsync(Image, "an attestation was built from another repository: https://github.com/mallory/voting-aks");
    }

    [Fact]
    public async Task Refuses_an_image_signed_by_another_workflow()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", Verified(Provenance, signer: $"https://github.com/{Repository}/.github/workflows/anything.yml@refs/heads/feature"));
        Record("sbom", Verified(Sbom));

        await AssertRefusedAsync(Image, "an attestation was signed by another workflow");
    }

    [Fact]
    public async Task Refuses_an_image_built_for_another_branch_even_when_gh_passed_it()
    {
        RequiredTools.Require("bash", "jq");

        // The image build run for a branch (a dispatch, or a workflow edited there): same repository, same workflow.
        const string Feature = "refs/heads/feature";
        Record("provenance", Verified(Provenance, sourceRef: Feature,
            signer: $"https://github.com/{Repository}/.github/workflows/build-images.yml@{Feature}"));
        Record("sbom", Verified(Sbom));

        await AssertRefusedAsync(Image, $"an attestation was built from another ref than {Main}: {Feature}");
    }

    [Fact]
    public async Task Refuses_an_image_whose_signing_workflow_came_from_another_branch()
    {
        RequiredTools.Require("bash", "jq");

        // A branch whose name starts with "main": only the exact ref passes.
        Record("provenance", Verified(Provenance, signer: $"{BuildImagesSigner}-hotfix"));
        Record("sbom", Verified(Sbom));

        await AssertRefusedAsync(Image, $"an attestation was signed by another workflow than {BuildImagesSigner}");
    }

    [Fact]
    public async Task Refuses_an_image_when_gh_finds_it_was_built_for_another_branch()
    {
        RequiredTools.Require("bash", "jq");

        File.WriteAllText(Path.Combine(Recordings, "provenance.stderr"),
            File.ReadAllText(Recorded("gh-attestation-verify-other-ref.stderr")).Replace("{{DIGEST}}", Digest, StringComparison.Ordinal)
                .Replace("{{SUBJECT_NAME}}", ImageName, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(Recordings, "provenance.exit"), "1");

        await AssertRefusedAsync(Image, "expected SourceRepositoryRef to be refs/heads/main, got refs/heads/feature");
    }

    [Fact]
    public async Task Refuses_an_image_with_provenance_but_no_SBOM_attestation()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", Verified(Provenance));
        File.WriteAllText(Path.Combine(Recordings, "sbom.stderr"), "✗ No attestations found with predicate type: https://cyclonedx.org/bom\n");
        File.WriteAllText(Path.Combine(Recordings, "sbom.exit"), "1");

        await AssertRefusedAsync(Image, "no verified SBOM attestation");
    }

    [Fact]
    public async Task Refuses_an_image_named_by_tag_without_asking_gh()
    {
        RequiredTools.Require("bash", "jq");

        await AssertRefusedAsync($"{ImageName}:4f8a6c2", "only an image named by its digest");

        Assert.False(File.Exists(Path.Combine(Recordings, "calls")), "gh was asked about a tag.");
    }

    [Fact]
    public async Task Refuses_when_gh_verified_nothing()
    {
        RequiredTools.Require("bash", "jq");

        File.WriteAllText(Path.Combine(Recordings, "provenance.json"), "[]");

        await AssertRefusedAsync(Image, "gh verified no attestation");
    }

    [Fact]
    public async Task Refuses_when_gh_succeeds_but_prints_nothing()
    {
        RequiredTools.Require("bash", "jq");

        Record("provenance", "");

        await AssertRefusedAsync(Image, "gh printed no result");
    }

    private async Task AssertRefusedAsync(string image, string reason)
    {
        var result = await DeployAsync(image);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"REFUSED {image}", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(DeployedMarker), "The deployment step ran after the verification refused the image.");
    }

    /// <summary>A deployment as a workflow job runs it: the verification, then (only if it passed) the deploy step.</summary>
    private Task<ScriptResult> DeployAsync(string image) =>
        Script.RunAsync("bash", ["-euo", "pipefail", "-c", "\"$VERIFY\" \"$IMAGE\"; touch \"$DEPLOYED\""], environment: new Dictionary<string, string>
        {
            ["PATH"] = $"{Path.Combine(folder, "bin")}:{Environment.GetEnvironmentVariable("PATH")}",
            ["FAKE_GH_DIR"] = Recordings,
            ["VERIFY"] = Script.Path("verify-attestation.sh"),
            ["IMAGE"] = image,
            ["DEPLOYED"] = DeployedMarker,
            ["GITHUB_REPOSITORY"] = Repository,
            ["GITHUB_SERVER_URL"] = "https://github.com",
        });

    private void Record(string kind, string json) => File.WriteAllText(Path.Combine(Recordings, $"{kind}.json"), json);

    private static string Verified(
        string predicateType, string digest = Digest, string? sourceRepository = null, string? signer = null, string sourceRef = Main) =>
        File.ReadAllText(Recorded("gh-attestation-verify.json"))
            .Replace("{{SOURCE_REF}}", sourceRef, StringComparison.Ordinal)
            .Replace("{{SIGNER_URI}}", signer ?? BuildImagesSigner, StringComparison.Ordinal)
            .Replace("{{SOURCE_REPOSITORY_URI}}", sourceRepository ?? $"https://github.com/{Repository}", StringComparison.Ordinal)
            .Replace("{{REPOSITORY}}", Repository, StringComparison.Ordinal)
            .Replace("{{SUBJECT_NAME}}", ImageName, StringComparison.Ordinal)
            .Replace("{{DIGEST}}", digest, StringComparison.Ordinal)
            .Replace("{{PREDICATE_TYPE}}", predicateType, StringComparison.Ordinal);

    private static string Recorded(string name) =>
        Path.Combine(Voting.Testing.Repository.Root, "Tests", "Voting.Deployment.Tests", "SupplyChain", "Recorded", name);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
