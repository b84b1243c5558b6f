#!/usr/bin/env bash
# Writes the software bill of materials of one .NET project (the content of one image) as CycloneDX 1.6 JSON.
#
# Usage: .github/scripts/sbom.sh PROJECT OUTPUT.json [NAME]
#        .github/scripts/sbom.sh --install      (only installs the generator, e.g. to check it can be had)
#   PROJECT  the project file the image is published from, e.g. Api/Voting.Api.csproj
#   NAME     the SBOM's subject, e.g. the image repository voting/api (default: the project's name)
# Environment: SBOM_VERSION (default GITHUB_SHA, else the checkout's commit) is the subject's version, so the
# document names the commit it describes; SBOM_TOOL_PATH is where the generator is installed.
#
# The generator is CycloneDX's .NET tool, pinned here to one exact version and installed into a folder of its own
# (dotnet tool install --tool-path), so every build and every laptop produces the document with the same code.
# It restores the project and reads the resolved dependency graph (obj/project.assets.json): every NuGet package
# that ships in the image, direct and transitive, with its exact version, package URL and hash. The base image's
# layers (the chiseled Ubuntu and the ASP.NET runtime) are not in it: the registry's scanner covers those.
set -euo pipefail

readonly tool_package=CycloneDX tool_version=6.3.1 spec_version=1.6
tools=${SBOM_TOOL_PATH:-${RUNNER_TEMP:-${XDG_CACHE_HOME:-$HOME/.cache}}/cyclonedx-dotnet-$tool_version}
generator=$tools/dotnet-CycloneDX

install_generator() {
    if [[ -x $generator ]] && dotnet tool list --tool-path "$tools" | grep -qiE "^${tool_package}[[:space:]]+${tool_version}[[:space:]]"; then
        return 0
    fi
    echo "sbom: installing the $tool_package dotnet tool $tool_version into $tools" >&2
    dotnet tool install "$tool_package" --version "$tool_version" --tool-path "$tools" >&2
}

if [[ ${1:-} == --install ]]; then
    install_generator
    exit 0
fi

(($# >= 2 && $# <= 3)) || { echo "usage: $0 PROJECT OUTPUT.json [NAME]" >&2; exit 2; }
project=$1
output=$2
[[ -f $project ]] || { echo "sbom: no project file at $project" >&2; exit 2; }
name=${3:-$(basename "$project" .csproj)}
version=${SBOM_VERSION:-${GITHUB_SHA:-$(git -C "$(dirname "$project")" rev-parse HEAD 2>/dev/null || echo 0.0.0)}}

install_generator
mkdir -p "$(dirname "$output")"
output=$(cd "$(dirname "$output")" && pwd)/$(basename "$output")

# Release: the configuration the image is published in (conditional package references follow it).
"$generator" "$project" --configuration Release --output-format Json --spec-version "$spec_version" \
    --output "$(dirname "$output")" --filename "$(basename "$output")" \
    --set-name "$name" --set-version "$version" --set-type Application >&2

components=$(jq '.components | length' "$output")
((components > 0)) || { echo "sbom: $output lists no component: was the project restored?" >&2; exit 1; }
echo "sbom: $output: $name $version, $components packages (CycloneDX $spec_version)"
