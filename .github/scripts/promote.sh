#!/usr/bin/env bash
# Pull-mode promotion: decides, for a report of dev's deployment, whether to propose prod the build dev runs, and
# prepares that proposal: one commit on top of environments/TARGET holding the target's overlay rendered AT the build's
# source commit (dev's drySha, never any other commit) with dev's images. It also gives the promotion check's verdict
# on the proposal open now. It pushes nothing and calls no GitHub API: promote-prod.yml does, after its own checks.
#
# Usage: .github/scripts/promote.sh STATUS_JSON
#   STATUS_JSON  the LATEST status GitHub holds for the reported commit and context (the workflow asks GitHub rather
#                than trust the event: events arrive late, twice, out of order): {sha, state, context, description,
#                target_url}
# Run in a clone whose origin is the repository. Environment: see promotion-state.sh; and CHECK_SHA, CHECK_STATE,
# CHECK_DESCRIPTION: the promotion check GitHub shows now (on promote/TARGET's head), so an unchanged verdict is not
# posted again.
# Outputs (also to $GITHUB_OUTPUT when set):
#   check-sha, check-state, check-description, check-changed   the verdict on the open proposal (check-sha '' if none)
#   proposed=true|false, and when true: proposal (the commit to push to promote/TARGET), dry-sha, images (NAME=REF,
#   space-separated), proposal-check-description, title-file, body-file.
#
# A report changes something only when it is the latest on environments/SOURCE's head: an older revision is
# superseded. Nothing is proposed while the target is held (the tag hold/TARGET), nor a build the target runs, an older
# build than the target's, or one the target ran before and was rolled back from: only a newer build goes forward.
# A proposal identical to the one open (same build, same revision, same base) is not made again. Exit 1 when dev's
# state cannot be promoted (a source commit not on main, a manifest that is not its overlay).
# shellcheck disable=SC2016 # jq programs, in single quotes
set -euo pipefail

(($# == 1)) || { echo "usage: $0 STATUS_JSON" >&2; exit 2; }
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/promotion-state.sh
source "$scripts/promotion-state.sh"
status=$(<"$1")

nothing() {
    echo "promote: $1"
    output proposed false
    exit 0
}

load_promotion_state
# One jq run for every decision below: the report (each field on one line), the build dev runs, the verdict on the open
# proposal (one that was merged, or whose build the target left, is not open any more), and last the metadata a
# proposal would carry.
sha='' state='' context='' description='' target_url='' dry_sha='' dev_images='' dev_ran_before='' dev_is_target=''
target_dry='' open_revision='' open_build='' dev_build='' verdict_state='' verdict_description='' proposal_check=''
facts=$(promotion_query "$status" '
    ($event | {sha, state, context, description, target_url} | map_values(. // "" | tostring | gsub("[\r\n]+"; " "))) as $e
    | ($proposal | key) as $open
    | (if $open == null or $open == ($prod | key) or any($history[]; key == $open) then null else check($proposal) end) as $verdict
    | @sh "sha=\($e.sha) state=\($e.state) context=\($e.context) description=\($e.description) target_url=\($e.target_url)",
      @sh "dry_sha=\($dev.drySha // "") dev_images=\($dev.images // [] | sort | join(" ")) dev_build=\($dev | key // "")",
      @sh "dev_ran_before=\(any($history[]; key == ($dev | key))) dev_is_target=\(($dev | key) == ($prod | key))",
      @sh "target_dry=\($prod.drySha // "") open_revision=\($proposal.promotedFrom.revision // "") open_build=\($open // "")",
      @sh "verdict_state=\($verdict.state // "") verdict_description=\($verdict.description // "")",
      @sh "proposal_check=\(check($dev).description)",
      "# metadata",
      metadata($target; $dev.drySha; $dev.repoURL // "";
        {environment: $source, revision: $devhead,
         status: {context: $e.context, state: $e.state, description: $e.description, targetURL: $event.target_url}};
        $dev.images // [])')
eval "${facts%%$'\n'# metadata$'\n'*}"
metadata=${facts#*$'\n'# metadata$'\n'}
[[ $context == "$status_context" ]] || nothing "ignored: '$context' is not $source_env's deployment ($status_context)"
[[ $sha == "$DEV_HEAD" ]] ||
    nothing "superseded: ${sha:0:7} is not environments/$source_env's head (${DEV_HEAD:0:7}); its report changes nothing"
read -r -a images <<<"$dev_images"

check_sha=''
[[ -z $verdict_state ]] || check_sha=$PROPOSAL_HEAD
output check-sha "$check_sha"
output check-state "$verdict_state"
output check-description "$verdict_description"
changed=false
[[ -z $check_sha || ($check_sha == "${CHECK_SHA:-}" && $verdict_state == "${CHECK_STATE:-}" &&
    $verdict_description == "${CHECK_DESCRIPTION:-}") ]] || changed=true
output check-changed "$changed"

[[ $state == success ]] || nothing "$source_env is $state at ${sha:0:7}: nothing proposed"
[[ -z $HOLD_REASON ]] || nothing "$target_env is on hold ($HOLD_REASON): nothing proposed"
[[ -n $dry_sha ]] || nothing "environments/$source_env at ${sha:0:7} holds no build yet: nothing to propose"
git merge-base --is-ancestor "$dry_sha" origin/main 2>/dev/null ||
    { echo "promote: refused: $source_env's source commit $dry_sha is not on main: only what main holds is promoted" >&2; exit 1; }
$dev_is_target && nothing "$target_env runs ${dry_sha:0:7} with these images already: nothing to propose"
if [[ -n $target_dry && $target_dry != "$dry_sha" ]] && git merge-base --is-ancestor "$dry_sha" "$target_dry" 2>/dev/null; then
    nothing "$target_env runs ${target_dry:0:7}, which is newer than ${dry_sha:0:7}: nothing proposed"
fi
$dev_ran_before && nothing "$target_env ran ${dry_sha:0:7} with these images before and was rolled back from it: only a newer build is proposed"
if [[ $open_build == "$dev_build" && $open_revision == "$DEV_HEAD" && $PROPOSAL_PARENT == "$PROD_HEAD" ]]; then
    nothing "$promotion_branch proposes this build already: nothing new to propose"
fi

# Dev's manifest must be what its own overlay renders at that source commit with those images: then prod gets the same
# build, and nothing hand-pushed to environments/SOURCE can reach the target.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
render_at_commit "$dry_sha" "$source_env" "${images[@]}" >"$work/source.yaml"
git cat-file blob "$DEV_HEAD:manifest.yaml" | cmp -s - "$work/source.yaml" ||
    { echo "promote: refused: environments/$source_env at ${sha:0:7} is not overlays/$source_env at ${dry_sha:0:7} with its images" >&2; exit 1; }

render_at_commit "$dry_sha" "$target_env" "${images[@]}" >"$work/manifest.yaml"
printf '%s\n' "$metadata" >"$work/hydrator.metadata"
hydrated_readme "$target_env" "$dry_sha" true >"$work/README.md"
title="deploy($target_env): promote ${dry_sha:0:7}, healthy in $source_env at ${sha:0:7}"
proposal=$(commit_root_files "$PROD_HEAD" "$title" \
    manifest.yaml="$work/manifest.yaml" hydrator.metadata="$work/hydrator.metadata" README.md="$work/README.md")

out=${PROMOTION_OUT:-$(mktemp -d)}
mkdir -p "$out"
echo "$title" >"$out/title.txt"
{
    echo "Promotes to **$target_env** exactly the build **$source_env** runs and has proved. Merging this pull request is"
    echo "the deployment: Argo CD or Flux syncs the branch \`environments/$target_env\`, and the diff below is everything"
    echo "that changes in $target_env, images and configuration alike."
    echo
    echo "| What was verified | |"
    echo "| --- | --- |"
    echo "| Source commit on main | \`$dry_sha\` |"
    echo "| \`environments/$source_env\` revision | \`$sha\` |"
    echo "| Reported by | \`$context\`: ${description:-success}${target_url:+ ([deployment]($target_url))} |"
    echo "| $source_env serves this source commit | ${SMOKE_CHECK:-checked by the workflow before this pull request was proposed} |"
    echo
    echo "Images:"
    printf -- "- \`%s\`\n" "${images[@]}"
    echo
    echo "The required check \`$check_context\` stays green only while $source_env runs this build and its latest report is"
    echo "healthy; it turns red when $source_env degrades, a newer build reaches it, or $target_env is held."
} >"$out/body.md"
output proposed true
output proposal "$proposal"
output dry-sha "$dry_sha"
output images "${images[*]}"
output proposal-check-description "$proposal_check"
output title-file "$out/title.txt"
output body-file "$out/body.md"
