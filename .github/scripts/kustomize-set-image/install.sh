#!/usr/bin/env bash
# Sourced by the scripts that edit or read kustomization.yaml with node: installs the one pinned package (yaml) on
# first use, quiet unless it fails. Runs in parallel (the tests) must not see each other's half-written
# node_modules, and `npm ci` first deletes the folder it installs into: so each run installs into its own folder and
# moves it into place with one rename, which fails harmlessly when another run got there first.
ensure_yaml_tools() {
    local tools staging
    tools=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    [[ -f $tools/node_modules/yaml/package.json ]] && return 0
    staging=$(mktemp -d "$tools/.install.XXXXXX")
    cp "$tools/package.json" "$tools/package-lock.json" "$staging/"
    npm ci --prefix "$staging" --no-audit --no-fund --loglevel=error >/dev/null
    node -e '
        const [from, to] = process.argv.slice(1);
        try { require("node:fs").renameSync(from, to); }
        catch (e) { if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e; }
    ' "$staging/node_modules" "$tools/node_modules"
    rm -rf "$staging"
}
