#!/usr/bin/env bash
# Commits exactly the given paths, and nothing else, and pushes the commit to the checked-out branch. CD uses it
# to record what an environment runs (its overlay's images and its hydrated manifests) in Git.
#
# Usage: .github/scripts/commit-paths.sh MESSAGE PATH...
# Environment: PUSH_ATTEMPTS (default 5).
#
# The message carries no skip-CI marker, which would also hide the commit from required checks; the CD workflows'
# path filters keep it from starting another build, whatever token pushes it (pushes with the workflow's own token
# start no workflow at all). When someone else pushed meanwhile the commit is rebased and pushed again; only these
# paths are ours, so a rebase conflict means another run of CD wrote them, and the script fails rather than guess.
set -euo pipefail
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

(($# >= 2)) || { echo "usage: $0 MESSAGE PATH..." >&2; exit 2; }
message=$1
shift
branch=$(git rev-parse --abbrev-ref HEAD)

# The paths that exist or are tracked (a path that is neither cannot change, and git would reject it).
paths=()
for path in "$@"; do
    if [[ -e $path || -n $(git ls-files -- "$path") ]]; then
        paths+=("$path")
    fi
done
if ((${#paths[@]} > 0)); then
    git add --all -- "${paths[@]}"
fi
if ((${#paths[@]} == 0)) || git diff --cached --quiet -- "${paths[@]}"; then
    echo "commit-paths: $* unchanged (already recorded); nothing to commit"
    exit 0
fi

git_as_bot commit --quiet --only -m "$message" -- "${paths[@]}"

for ((attempt = 1; attempt <= ${PUSH_ATTEMPTS:-5}; attempt++)); do
    if git push --quiet origin "HEAD:$branch"; then
        echo "commit-paths: pushed $(git rev-parse --short HEAD) to $branch: $message"
        exit 0
    fi
    echo "commit-paths: push rejected (attempt $attempt); rebasing on origin/$branch" >&2
    git fetch --quiet origin "$branch"
    git_as_bot rebase --quiet "origin/$branch"
done
echo "commit-paths: could not push to $branch after ${PUSH_ATTEMPTS:-5} attempts" >&2
exit 1
