#!/usr/bin/env bash
# Sets the repository up for pull-mode CD, from what main holds. Idempotent: run it once (infra/bootstrap.sh does),
# and again whenever .github/CODEOWNERS, .github/workflows/verify-environment.yml or .github/rulesets/ change on main.
#   1. The branches environments/dev and environments/prod. A missing one is created holding only README.md and the
#      files GitHub reads from a pull request's base branch (CODEOWNERS, and the workflow that checks every pull request
#      into it), copied from main; no manifest.yaml, so a cluster syncs nothing from it until CD (dev) or the first
#      promotion (prod) writes one. When those files differ from main's, dev gets a commit with main's, and prod a pull
#      request (its ruleset lets nothing else in). They are written here, by an admin, rather than by CD: GitHub lets
#      no workflow token write a workflow file, and a hydration that could rewrite its branch's check could skip it.
#   2. The rulesets .github/rulesets/*.json, created or updated by name (gh api): main and environments/prod merge
#      only reviewed pull requests that pass their checks; no branch of the three can be deleted or force-pushed.
#
# Usage: [REQUIRED_APPROVALS=N] .github/scripts/configure-repository.sh
# Run in a clone of the repository, with gh signed in as one of its admins and git able to push. REQUIRED_APPROVALS
# overrides the rulesets' approvals: 0 for a repository with one maintainer (a workshop), who cannot approve their own
# pull requests; pull requests and their checks stay required.
set -euo pipefail

scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
environments=(dev prod)
reviewed=prod # the environment whose ruleset requires a pull request
approvals=${REQUIRED_APPROVALS-}
[[ -z $approvals || $approvals =~ ^[0-9]$ ]] ||
    { echo "configure-repository: REQUIRED_APPROVALS must be a number from 0 to 9, got '$approvals'" >&2; exit 1; }

git fetch --quiet --no-tags origin "+refs/heads/main:refs/remotes/origin/main" \
    "+refs/heads/environments/*:refs/remotes/origin/environments/*"
declare -A from_main=()
for path in "${environment_branch_files[@]}"; do
    from_main[$path]=$(git rev-parse --verify --quiet "origin/main:$path") ||
        { echo "configure-repository: main has no $path yet: merge it first" >&2; exit 1; }
done

index=$(mktemp -u)
trap 'rm -f "$index"' EXIT
for environment in "${environments[@]}"; do
    branch=environments/$environment
    parents=()
    if head=$(git rev-parse --verify --quiet "refs/remotes/origin/$branch"); then
        parents=(-p "$head")
        GIT_INDEX_FILE=$index git read-tree "$head"
    else
        readme=$(git hash-object -w --stdin <<README
# $environment: hydrated manifests

Nothing is deployed to $environment yet. Each commit of this branch is one state of $environment, written by the CD
scripts in \`.github/scripts\` on main: \`manifest.yaml\` (its overlay rendered at a source commit of main),
\`hydrator.metadata\` and this file. Argo CD or Flux applies \`manifest.yaml\` alone.
README
        )
        GIT_INDEX_FILE=$index git read-tree --empty
        GIT_INDEX_FILE=$index git update-index --add --cacheinfo "100644,$readme,README.md"
    fi
    for path in "${environment_branch_files[@]}"; do
        GIT_INDEX_FILE=$index git update-index --add --cacheinfo "100644,${from_main[$path]},$path"
    done
    tree=$(GIT_INDEX_FILE=$index git write-tree)
    if [[ -n $head && $tree == "$(git rev-parse "$head^{tree}")" ]]; then
        echo "configure-repository: $branch has main's $(printf '%s ' "${environment_branch_files[@]}")already"
        continue
    fi
    message="$branch: CODEOWNERS and the environment check, as main has them"
    commit=$(git_as_bot commit-tree "$tree" "${parents[@]}" -m "$message")
    if [[ -z $head ]]; then
        git push --quiet origin "$commit:refs/heads/$branch"
        echo "configure-repository: created $branch (no manifest.yaml yet: nothing is synced from it)"
    elif [[ $environment != "$reviewed" ]]; then
        git push --quiet origin "$commit:refs/heads/$branch"
        echo "configure-repository: $branch now has main's $(printf '%s ' "${environment_branch_files[@]}")"
    else
        git push --quiet --force origin "$commit:refs/heads/configure/$branch"
        if [[ $(gh pr list --head "configure/$branch" --base "$branch" --state open --json number --jq length) == 0 ]]; then
            gh pr create --head "configure/$branch" --base "$branch" --title "$message" \
                --body "Brings main's ${environment_branch_files[*]} to $branch; changes nothing $environment runs."
        fi
        echo "configure-repository: $branch differs from main's files: merge the pull request from configure/$branch"
    fi
done

existing=$(gh api "repos/{owner}/{repo}/rulesets?per_page=100" --jq '.[] | "\(.id) \(.name)"')
while read -r file; do
    ruleset=$(git show "origin/main:$file")
    if [[ -n $approvals ]]; then
        ruleset=$(jq --argjson n "$approvals" '(.rules[] | select(.type == "pull_request").parameters) |= . +
            {required_approving_review_count: $n} + if $n == 0 then {require_code_owner_review: false, require_last_push_approval: false} else {} end' <<<"$ruleset")
    fi
    name=$(jq -r .name <<<"$ruleset")
    id=$(awk -v name="$name" '{ id = $1; sub(/^[^ ]+ /, "") } $0 == name { print id }' <<<"$existing")
    if [[ -n $id ]]; then
        gh api --method PUT "repos/{owner}/{repo}/rulesets/$id" --input - --silent <<<"$ruleset"
        echo "configure-repository: ruleset $name updated"
    else
        gh api --method POST "repos/{owner}/{repo}/rulesets" --input - --silent <<<"$ruleset"
        echo "configure-repository: ruleset $name created"
    fi
done < <(git ls-tree --name-only origin/main .github/rulesets/ | grep '\.json$')
