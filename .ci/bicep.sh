#!/usr/bin/env bash
# Prints the path of the Bicep CLI that builds and lints infra/: the binary inside the NuGet package
# Azure.Bicep.CommandLine.linux-x64, version $(BicepVersion) of Directory.Packages.props, which the test project
# downloads at restore (PackageDownload). Restores the test project first if the package is not there yet.
#
# Usage: bicep=$(bash .ci/bicep.sh)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's:.*<BicepVersion>\(.*\)</BicepVersion>.*:\1:p' "$repo/Directory.Packages.props")
[[ -n $version ]] || { echo "bicep.sh: no <BicepVersion> in Directory.Packages.props" >&2; exit 1; }
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
bicep=$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep

if [[ ! -f $bicep ]]; then
    dotnet restore "$repo/Tests/Voting.Deployment.Tests" >&2
fi
[[ -f $bicep ]] || { echo "bicep.sh: $bicep missing after restore" >&2; exit 1; }
# NuGet extracts files without the execute bit.
[[ -x $bicep ]] || chmod +x "$bicep"
echo "$bicep"
