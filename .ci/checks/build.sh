#!/usr/bin/env bash
# The solution builds with every warning an error (NuGet's and MSBuild's as well as the compiler's), and its code is
# formatted as .editorconfig says (dotnet format would change nothing).
#
# Usage: bash .ci/checks/build.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
dotnet build Sample.sln -warnaserror
dotnet format Sample.sln --verify-no-changes --no-restore
