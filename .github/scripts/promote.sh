#!/usr/bin/env bash
# Pull-mode promotion: reacts to the commit status a GitOps operator reports for a deployment (Argo CD
# Notifications or Flux's notification-controller, both with the context continuous-delivery/APP-ENVIRONMENT),
# and, only when dev is synced and healthy at that revision, prepares the pull request that gives prod exactly what
# dev runs there: the target's hydrated manifests rendered from the same source commit with the same images.
#
# Usage: .github/scripts/promote.sh STATUS_EVENT_JSON
#   STATUS_EVENT_JSON  GitHub's `status` event payload (the workflow passes $GITHUB_EVENT_PATH)
# Run at the root of a checkout whose origin is the repository. Environment:
#   APP_NAME (voting), SOURCE_ENVIRONMENT (dev), TARGET_ENVIRONMENT (prod), BASE_BRANCH (main),
#   PROMOTION_BRANCH (promote/TARGET), SMOKE_CHECK (what the read-only check on the source found, for the body),
#   PROMOTION_OUT (folder for title.txt and body.md; default a new temporary folder).
# Outputs (also to $GITHUB_OUTPUT when set): proposed=true|false, branch, title-file, body-file.
#
# Nothing is proposed (exit 0) for another status context, a state other than success, or a revision whose state
# the target already runs; a status for a commit that is not on the base branch is refused (exit 1). The pull
# request itself is opened by the workflow (gh pr create), so this script is testable against any git remote.
set -euo pipefail

(($# == 1)) || { echo "usage: $0 STATUS_EVENT_JSON" >&2; exit 2; }
event=$1
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
app=${APP_NAME:-voting}
source_env=${SOURCE_ENVIRONMENT:-dev}
target_env=${TARGET_ENVIRONMENT:-prod}
base=${BASE_BRANCH:-main}
branch=${PROMOTION_BRANCH:-promote/$target_env}
out=${PROMOTION_OUT:-$(mktemp -d)}
expected_context="continuous-delivery/$app-$source_env"

output() {
    echo "promote: $1=$2"
    [[ -z ${GITHUB_OUTPUT:-} ]] || echo "$1=$2" >>"$GITHUB_OUTPUT"
}
nothing() {
    echo "promote: $1"
    output proposed false
    exit 0
}
refuse() {
    echo "promote: refused: $1" >&2
    output proposed false
    exit 1
}

sha=$(jq -r '.sha // ""' "$event")
state=$(jq -r '.state // ""' "$event")
context=$(jq -r '.context // ""' "$event")
description=$(jq -r '.description // ""' "$event")
target_url=$(jq -r '.target_url // ""' "$event")

[[ $context == "$expected_context" ]] || nothing "ignored: status '$context' is not $source_env's deployment ($expected_context)"
[[ $state == success ]] || nothing "$source_env is not synced and healthy at ${sha:0:7} ($state: $description): nothing proposed"
[[ $sha =~ ^[0-9a-f]{40}$ ]] || refuse "'$sha' is not a commit SHA"

git fetch --quiet origin "$base"
git cat-file -e "$sha^{commit}" 2>/dev/null || refuse "$sha is not in this repository"
git merge-base --is-ancestor "$sha" "origin/$base" || refuse "$sha is not on $base: only what $base deployed to $source_env is promoted"

source_meta=$(git show "$sha:gitops-manifests/environments/$source_env/hydrator.metadata" 2>/dev/null) ||
    refuse "$sha has no hydrated $source_env (gitops-manifests/environments/$source_env/hydrator.metadata)"
dry_sha=$(jq -r .drySha <<<"$source_meta")
mapfile -t images < <(jq -r '.images[]' <<<"$source_meta")
((${#images[@]} > 0)) || refuse "$source_env's hydrator.metadata at ${sha:0:7} lists no images"

target_meta=$(git show "origin/$base:gitops-manifests/environments/$target_env/hydrator.metadata" 2>/dev/null || echo '{}')
if jq -e --arg dry "$dry_sha" --argjson images "$(jq .images <<<"$source_meta")" \
    '.drySha == $dry and .images == $images' <<<"$target_meta" >/dev/null; then
    nothing "$target_env already runs ${dry_sha:0:7} with these images: nothing to propose"
fi
target_dry=$(jq -r '.drySha // ""' <<<"$target_meta")
if [[ -n $target_dry && $target_dry != "$dry_sha" ]] && git cat-file -e "$target_dry^{commit}" 2>/dev/null &&
    git merge-base --is-ancestor "$dry_sha" "$target_dry"; then
    nothing "$target_env runs ${target_dry:0:7}, which is newer than ${dry_sha:0:7}: nothing proposed"
fi

work=$(mktemp -d)
cleanup() {
    git worktree remove --force "$work/source" 2>/dev/null || true
    git worktree remove --force "$work/promotion" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
git worktree add --quiet --detach "$work/source" "$sha"
git worktree add --quiet --force -B "$branch" "$work/promotion" "origin/$base"

# The target, rendered from the overlay as it was at the verified revision, with the images the source runs there.
promoted_from=$(jq -n --arg environment "$source_env" --arg revision "$sha" --arg context "$context" \
    --arg description "$description" --arg targetURL "$target_url" \
    '{environment: $environment, revision: $revision, status: {context: $context, state: "success", description: $description, targetURL: $targetURL}}')
(cd "$work/source" && DRY_SHA=$dry_sha PROMOTED_FROM=$promoted_from HYDRATED_ROOT="$work/promotion/gitops-manifests" \
    "$scripts/hydrate-environment.sh" "$target_env" "${images[@]}")
# The base branch's overlay records the same images; the rest of it may already be newer, and reaches the target
# with a later promotion.
"$scripts/set-image-tags.sh" "$work/promotion/gitops-manifests/overlays/$target_env" "${images[@]}" >/dev/null

title="deploy($target_env): promote ${dry_sha:0:7}, synced and healthy in $source_env at ${sha:0:7}"
changes=$(cd "$work/promotion" && git add --all -- "gitops-manifests/environments/$target_env" \
    "gitops-manifests/overlays/$target_env/kustomization.yaml" && git diff --cached --stat)
[[ -n $changes ]] || nothing "$target_env already has this rendering: nothing to propose"
(cd "$work/promotion" &&
    git_as_bot commit --quiet -m "$title" &&
    git push --quiet --force origin "HEAD:refs/heads/$branch")

mkdir -p "$out"
echo "$title" >"$out/title.txt"
{
    echo "Promotes to **$target_env** exactly what **$source_env** runs and has proved. Merging this pull request is"
    echo "the deployment: Argo CD or Flux syncs \`gitops-manifests/environments/$target_env\`, and its diff below is"
    echo "everything that changes in $target_env, images and configuration alike."
    echo
    echo "| What was verified | |"
    echo "| --- | --- |"
    echo "| Source commit (the AppHost rendering) | \`$dry_sha\` |"
    echo "| $source_env synced and healthy at | \`$sha\` |"
    echo "| Reported by | \`$context\`: ${description:-success}${target_url:+ ([deployment]($target_url))} |"
    echo "| Read-only check of $source_env | ${SMOKE_CHECK:-not run} |"
    echo
    echo "Images:"
    printf -- "- \`%s\`\n" "${images[@]}"
    echo
    echo '```'
    echo "$changes"
    echo '```'
} >"$out/body.md"
output proposed true
output branch "$branch"
output title-file "$out/title.txt"
output body-file "$out/body.md"
