#!/usr/bin/env bash
# Lets an image be deployed only when GitHub's signed attestations prove that this repository's image build
# (build-images.yml), run for main, produced exactly this digest: its build provenance (which commit, which run) and
# its SBOM. Exits non-zero, saying why, on anything else: a tag instead of a digest, no attestation, an attestation
# for another digest, from another repository, from another workflow, or from a build of another branch (anyone who
# can push a branch could otherwise have it attested). Run it right before the step that deploys.
#
# Usage: .github/scripts/verify-attestation.sh REGISTRY/REPOSITORY@sha256:DIGEST...
# Environment:
#   ATTESTATION_REPOSITORY  OWNER/REPO whose build must have attested the image (default: GITHUB_REPOSITORY)
#   ATTESTATION_WORKFLOW    the workflow that signs, in that repository (default: .github/workflows/build-images.yml)
#   ATTESTATION_SOURCE_REF  the git ref the build must have run for (default: refs/heads/main)
#   GITHUB_SERVER_URL       default https://github.com
#   GH_TOKEN                reads the attestations (in a workflow: github.token with `attestations: read`)
# Needs jq, a gh whose `attestation verify` has --source-ref (an older one fails on the flag, and the image is
# refused), and a registry login (az acr login): gh reads the image's manifest.
#
# gh checks the Sigstore signatures, the certificate's issuer, the signer workflow and the source ref; this script
# then checks the verified certificates itself, so the decision does not rest on flags alone: every statement must
# name this digest, this repository, this workflow at this ref, and this ref as its source, or the image is refused.
set -euo pipefail

(($# > 0)) || { echo "usage: $0 IMAGE@sha256:DIGEST..." >&2; exit 2; }
repository=${ATTESTATION_REPOSITORY:-${GITHUB_REPOSITORY:-}}
[[ $repository =~ ^[^/]+/[^/]+$ ]] || { echo "verify-attestation: set ATTESTATION_REPOSITORY (or GITHUB_REPOSITORY) to OWNER/REPO" >&2; exit 2; }
workflow=${ATTESTATION_WORKFLOW:-.github/workflows/build-images.yml}
source_ref=${ATTESTATION_SOURCE_REF:-refs/heads/main}
server=${GITHUB_SERVER_URL:-https://github.com}
readonly provenance=https://slsa.dev/provenance/v1 sbom=https://cyclonedx.org/bom

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

refuse() {
    echo "verify-attestation: REFUSED $1" >&2
    exit 1
}

# The first failing condition, as a sentence; empty when every verified statement names this image's build.
check_statements() {
    local digest=$1 predicate=$2 results=$3
    # Slurped, so that no output at all is a refusal too, not an empty (passing) answer.
    jq -r -s --arg digest "$digest" --arg predicate "$predicate" --arg repo "$server/$repository" \
        --arg signer "$server/$repository/$workflow@$source_ref" --arg ref "$source_ref" '
        if length != 1 then "gh printed no result"
        else .[0] end
        | if type == "string" then .
        elif type != "array" or length == 0 then "gh verified no attestation"
        elif any(.[]; [.verificationResult.statement.subject[]?.digest.sha256] | index($digest) | not) then
            "an attestation is for another digest: " + ([.[].verificationResult.statement.subject[]?.digest.sha256] | unique | map("sha256:" + .) | join(", "))
        elif any(.[]; .verificationResult.statement.predicateType != $predicate) then
            "an attestation is not of type " + $predicate
        elif any(.[]; .verificationResult.signature.certificate.sourceRepositoryURI != $repo) then
            "an attestation was built from another repository: " + ([.[].verificationResult.signature.certificate.sourceRepositoryURI] | unique | join(", "))
        elif any(.[]; .verificationResult.signature.certificate.sourceRepositoryRef != $ref) then
            "an attestation was built from another ref than " + $ref + ": " + ([.[].verificationResult.signature.certificate.sourceRepositoryRef] | unique | join(", "))
        elif any(.[]; .verificationResult.signature.certificate.buildSignerURI != $signer) then
            "an attestation was signed by another workflow than " + $signer + ": " + ([.[].verificationResult.signature.certificate.buildSignerURI] | unique | join(", "))
        else empty end' "$results"
}

verify() {
    local image=$1 predicate=$2 label=$3 results=$work/results.json errors=$work/errors.txt digest problem
    digest=${image##*@sha256:}
    if ! gh attestation verify "oci://$image" --repo "$repository" --signer-workflow "${server#https://}/$repository/$workflow" \
        --source-ref "$source_ref" --predicate-type "$predicate" --format json >"$results" 2>"$errors"; then
        refuse "$image: no verified $label attestation from $repository ($workflow on $source_ref). gh said: $(grep -v '^[[:space:]]*$' "$errors" | tail -n 3 | tr '\n' ' ')"
    fi
    problem=$(check_statements "$digest" "$predicate" "$results") || refuse "$image: gh's $label result is not the JSON expected"
    [[ -z $problem ]] || refuse "$image: $label: $problem"
    jq -r --arg kind "$label" 'first(.[].verificationResult.signature.certificate)
        | "verify-attestation: \($kind) OK: commit \(.sourceRepositoryDigest), run \(.runInvocationURI)"' "$results"
}

for image in "$@"; do
    [[ $image =~ ^[^@[:space:]]+@sha256:[0-9a-f]{64}$ ]] ||
        refuse "$image: only an image named by its digest (REGISTRY/REPOSITORY@sha256:...) can be verified and deployed"
    echo "verify-attestation: $image"
    verify "$image" "$provenance" "build provenance"
    verify "$image" "$sbom" "SBOM"
done
echo "verify-attestation: all $# images were built and attested by $repository ($workflow on $source_ref)"
