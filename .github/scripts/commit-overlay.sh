#!/usr/bin/env bash
# Pull-mode promotion: commits an overlay's kustomization.yaml, and nothing else, and pushes it to the branch
# Argo CD watches. Run after set-image-tags.sh, in a checkout whose origin accepts the push.
#
# Usage: .github/scripts/commit-overlay.sh OVERLAY_DIR MESSAGE
# Environment: PUSH_ATTEMPTS (default 5).
#
# MESSAGE should end in [skip ci]: together with the workflows' paths-ignore on the overlays, a promotion commit
# never starts another build. When someone else pushed meanwhile the commit is rebased and pushed again; only the
# overlay file is ours, so a rebase conflict means another promotion wrote it, and the script fails rather than guess.
set -euo pipefail

(($# == 2)) || { echo "usage: $0 OVERLAY_DIR MESSAGE" >&2; exit 2; }
file=${1%/}/kustomization.yaml
message=$2
branch=$(git rev-parse --abbrev-ref HEAD)

if git diff --quiet -- "$file"; then
    echo "commit-overlay: $file is unchanged (these images are already promoted); nothing to commit"
    exit 0
fi

# Bot identity, so the history shows which commits CI made.
git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
    commit --quiet --only -m "$message" -- "$file"

for ((attempt = 1; attempt <= ${PUSH_ATTEMPTS:-5}; attempt++)); do
    if git push --quiet origin "HEAD:$branch"; then
        echo "commit-overlay: pushed $(git rev-parse --short HEAD) to $branch: $message"
        exit 0
    fi
    echo "commit-overlay: push rejected (attempt $attempt); rebasing on origin/$branch" >&2
    git fetch --quiet origin "$branch"
    git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
        rebase --quiet "origin/$branch"
done
echo "commit-overlay: could not push to $branch after ${PUSH_ATTEMPTS:-5} attempts" >&2
exit 1
