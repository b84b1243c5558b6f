#!/usr/bin/env bash
# Sourced by the CD scripts: what they all do the same way.
# shellcheck disable=SC2034 # the variables set here are read by the scripts that source this file

# Renders a kustomization folder: with kustomize where it is installed (GitHub's runners), else with kubectl's
# built-in kustomize, which renders the same.
render_kustomization() {
    if command -v kustomize >/dev/null; then
        kustomize build "$1"
    else
        kubectl kustomize "$1"
    fi
}

# Renders an environment to stdout: the overlay OVERLAY_DIR with each NAME=REF image set, where REF is
# REGISTRY/REPOSITORY@sha256:DIGEST or REGISTRY/REPOSITORY:TAG (e.g. voting/api=myacr.azurecr.io/voting/api@sha256:...).
#
# The images are set by a kustomization of its own, in a temporary folder, whose only resource is the overlay: the
# overlay is never edited, so a rendering is a function of the overlay's files and the arguments alone. It therefore
# sets only names the overlay leaves alone (the images CD builds; overlays map the others themselves).
# Fails (status 2, nothing on stdout) on a malformed argument, and (status 1) when the overlay does not render or a
# REF appears in no container, such as a NAME no container uses: that would deploy the old image.
render_environment() {
    (($# >= 1)) || { echo "usage: render_environment OVERLAY_DIR [NAME=REF...]" >&2; return 2; }
    local overlay=$1 absolute=$1 work kustomization rendered arg name ref repository tag digest up expected=()
    shift
    [[ -f $overlay/kustomization.yaml ]] || { echo "render_environment: no kustomization.yaml in $overlay" >&2; return 2; }
    [[ $absolute == /* ]] || absolute=$PWD/$overlay
    work=$(mktemp -d)
    # kustomize refuses absolute resource paths: the overlay's, relative to the temporary folder (up to / and down).
    up=${work//[!\/]/}
    kustomization="resources:
- ${up//\//../}${absolute#/}
images:"
    for arg; do
        name=${arg%%=*}
        ref=${arg#*=}
        digest=
        tag=
        [[ $ref == *@* ]] && digest=${ref#*@} && ref=${ref%%@*}
        # A tag follows the last ':' after the last '/', so a registry port (myacr:5000/voting/api) is not one.
        [[ ${ref##*/} == *:* ]] && tag=${ref##*:} && ref=${ref%:*}
        repository=$ref
        if [[ $arg != ?*=?* || $arg == *[!A-Za-z0-9._/:@=-]* || -z $repository || ( -z $tag && -z $digest ) ||
            ( -n $digest && $digest != sha256:* ) ]]; then
            echo "render_environment: expected NAME=REGISTRY/REPOSITORY@sha256:DIGEST or NAME=REGISTRY/REPOSITORY:TAG, got '$arg'" >&2
            rm -rf "$work"
            return 2
        fi
        kustomization+="
- name: \"$name\"
  newName: \"$repository\""
        # With a digest kustomize renders REPOSITORY@DIGEST and ignores the tag, so the tag is not even written.
        if [[ -n $digest ]]; then
            kustomization+="
  digest: \"$digest\""
            expected+=("$repository@$digest")
        else
            kustomization+="
  newTag: \"$tag\""
            expected+=("$repository:$tag")
        fi
    done
    printf '%s\n' "$kustomization" >"$work/kustomization.yaml"
    rendered=$(render_kustomization "$work") || { rm -rf "$work"; echo "render_environment: $overlay does not render" >&2; return 1; }
    rm -rf "$work"
    for ref in "${expected[@]}"; do
        [[ $rendered$'\n' == *"image: $ref"$'\n'* ]] ||
            { echo "render_environment: no container of $overlay renders with image $ref (is its name in the base?)" >&2; return 1; }
    done
    printf '%s\n' "$rendered"
}

# Renders overlays/ENVIRONMENT as source commit COMMIT holds it, with the images (render_environment): what an
# environment runs for a build. Every hydration, promotion and environment check renders a build this one way.
# Usage: render_at_commit COMMIT ENVIRONMENT [NAME=REF...]
render_at_commit() {
    local commit=$1 environment=$2 work status=0
    shift 2
    work=$(mktemp -d)
    if git archive "$commit" gitops-manifests | tar -x -C "$work"; then
        render_environment "$work/gitops-manifests/overlays/$environment" "$@" || status=$?
    else
        echo "render_at_commit: cannot read gitops-manifests at $commit" >&2
        status=1
    fi
    rm -rf "$work"
    return "$status"
}

# jq's definition of a hydrated state's hydrator.metadata, as Argo CD's Source Hydrator names it: the environment, the
# source commit on main it was rendered from (drySha), the repository, the images CD set (NAME=REF, sorted) and, for a
# promoted state, what the promotion verified ($from; null for none).
# shellcheck disable=SC2016 # jq's variables, not the shell's
hydrator_jq='
def metadata($environment; $drySha; $repoURL; $from; $images):
  {environment: $environment, drySha: $drySha, repoURL: $repoURL, images: ($images | sort)}
  + if $from == null then {} else {promotedFrom: $from} end;
'

# Sets METADATA[i] to REVISION_i's hydrator.metadata ({} when there is none, or no revision), in one git command.
read_metadata() {
    local LC_ALL=C revision object type size content blobs
    METADATA=()
    exec {blobs}< <(printf '%s:hydrator.metadata\n' "$@" | git cat-file --batch)
    for revision; do
        read -r object type size <&"$blobs"
        if [[ $type == blob ]]; then
            IFS= read -r -N "$size" content <&"$blobs"
            read -r <&"$blobs" # the newline after each object
            METADATA+=("$content")
        else
            METADATA+=('{}')
        fi
    done
    exec {blobs}<&-
    : "$object" "$revision"
}

# The README.md of a hydrated state: what the branch is and who writes it. It names only what the metadata holds, so
# the check of a pull request into the branch can write it again and compare.
# Usage: hydrated_readme ENVIRONMENT DRY_SHA PROMOTED (true for a state a promotion wrote)
hydrated_readme() {
    local how="CD writes a commit here for every build of main that dev should run."
    [[ $3 == true ]] && how="It changes only when a pull request into this branch is merged: a promotion, or a rollback."
    printf '%s\n' "# $1: hydrated manifests" "" \
        "Written by the CD scripts in \`.github/scripts\` on main; never edit it by hand. \`manifest.yaml\` is" \
        "\`gitops-manifests/overlays/$1\` rendered at source commit \`$2\` of main, with the images listed in" \
        "\`hydrator.metadata\`. Argo CD or Flux applies \`manifest.yaml\` alone. $how"
}

# Writes a commit whose tree is PARENT's with the given files at its root (NAME=FILE, FILE's content as NAME), and
# prints it; prints nothing when that tree is PARENT's already. Nothing is checked out, and no branch moves.
# Usage: commit_root_files PARENT MESSAGE NAME=FILE...
commit_root_files() {
    local parent=$1 message=$2 entries="" arg line tree i=0
    shift 2
    local -A replaced=()
    local files=() blobs=()
    for arg; do
        replaced[${arg%%=*}]=1
        files+=("${arg#*=}")
    done
    mapfile -t blobs < <(git hash-object -w -- "${files[@]}")
    # ls-tree's lines are what mktree reads: "MODE TYPE OBJECT<TAB>NAME".
    while IFS= read -r line; do
        [[ -n ${replaced[${line#*$'\t'}]:-} ]] || entries+="$line"$'\n'
    done < <(git ls-tree "$parent")
    for arg; do
        entries+="100644 blob ${blobs[i++]}"$'\t'"${arg%%=*}"$'\n'
    done
    tree=$(printf '%s' "$entries" | git mktree)
    [[ $tree != "$(git rev-parse "$parent^{tree}")" ]] || return 0
    git_as_bot commit-tree "$tree" -p "$parent" -m "$message"
}

# The files of an environment branch that are not a hydrated state: what GitHub reads from a pull request's base
# branch. configure-repository.sh copies them from main; a pull request may keep them or bring main's.
environment_branch_files=(.github/CODEOWNERS .github/workflows/verify-environment.yml)

# Prints KEY=VALUE for the workflow's later steps (and the log); also appends it to $GITHUB_OUTPUT when set.
output() {
    echo "$1=$2"
    [[ -z ${GITHUB_OUTPUT:-} ]] || echo "$1=$2" >>"$GITHUB_OUTPUT"
}

# git, as the bot identity CD's commits carry, so the history shows which commits CD made.
git_as_bot() {
    git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" "$@"
}
