using System.Diagnostics;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// The promotion's guarantees under any interleaving: random sequences (<see cref="PromotionSequence"/>) of merges,
/// builds finishing in any order, hydrations, dev's operator reporting (Argo CD's and Flux's shapes; success, degraded,
/// repeated, out of order), promotions merged, closed, held and reverted, each against a fresh repository with the real
/// scripts, checked after every step:
///   - every proposed or merged prod rendering is prod's overlay at the source commit dev ran (healthy), with dev's
///     images, and its metadata says so;
///   - no report is acted on twice: with nothing else changed, a report the promotion already acted on writes nothing;
///   - nothing is proposed while prod is held, and a reverted build is never proposed again;
///   - the promotion check is green only while dev runs that build, reported healthy, and prod is not held;
///   - dev never goes back to an older commit's build.
/// Seeded: VOTING_PROMOTION_SEED and VOTING_PROMOTION_SEQUENCES replay or widen a run; a failure names its seed and
/// lists its steps.
/// </summary>
public sealed class PromotionModelTests
{
    private const int DefaultSeed = 20261207;
    private const int DefaultSequences = 200;
    private const int Steps = 12;

    [Fact]
    public async Task Any_interleaving_proposes_only_what_dev_ran_acts_on_each_report_once_and_honours_holds_and_reverts()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "tar", "sha1sum");
        var seed = int.TryParse(Environment.GetEnvironmentVariable("VOTING_PROMOTION_SEED"), out var s) ? s : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("VOTING_PROMOTION_SEQUENCES"), out var n) ? n : DefaultSequences;
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"seed {seed}, {count} sequences of {Steps} steps (VOTING_PROMOTION_SEED, VOTING_PROMOTION_SEQUENCES)");

        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var seen = new SortedDictionary<string, int>(StringComparer.Ordinal);
        // Sequences share nothing but the render cache; one per core.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            try
            {
                var events = await PromotionSequence.RunAsync(seed + i, Steps);
                lock (seen)
                {
                    foreach (var (what, times) in events)
                    {
                        seen[what] = seen.GetValueOrDefault(what) + times;
                    }
                }
            }
            catch (SequenceFailure failure)
            {
                lock (failures)
                {
                    failures.Add(failure.Message);
                }
            }
        });

        output.WriteLine($"{count - failures.Count} of {count} sequences held every invariant in {clock.Elapsed.TotalSeconds:F0} s; they covered:");
        foreach (var (what, times) in seen)
        {
            output.WriteLine($"  {times,5}  {what}");
        }

        Assert.True(failures.Count == 0, failures.Count == 0 ? "" : $"{failures.Count} of {count} sequences failed; the first:\n{failures.Order(StringComparer.Ordinal).First()}");
    }
}
