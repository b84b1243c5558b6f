#!/usr/bin/env bash
# Sourced by the CD scripts: what they all do the same way.

# Renders a kustomization folder: with kustomize where it is installed (GitHub's runners), else with kubectl's
# built-in kustomize, which renders the same.
render_kustomization() {
    if command -v kustomize >/dev/null; then
        kustomize build "$1"
    else
        kubectl kustomize "$1"
    fi
}

# git, as the bot identity CD's commits carry, so the history shows which commits CD made.
git_as_bot() {
    git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" "$@"
}
