#!/usr/bin/env bash
# Writes the SBOM of each image as build-images.yml does (.github/scripts/sbom.sh, CycloneDX, from the real Api and
# Web projects) and validates both against the CycloneDX schema (.ci/sbom/validate.sh).
#
# Usage: bash .ci/checks/validate-sbom.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bash .github/scripts/sbom.sh Api/Voting.Api.csproj "$out/api.cdx.json" voting/api
bash .github/scripts/sbom.sh Web/Voting.Web.csproj "$out/web.cdx.json" voting/web
bash .ci/sbom/validate.sh "$out"/*.cdx.json
