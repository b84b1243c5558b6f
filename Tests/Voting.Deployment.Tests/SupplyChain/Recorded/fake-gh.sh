#!/usr/bin/env bash
# Stands in for the GitHub CLI in the attestation tests: GitHub's attestation API and the registry cannot be reached
# from a test, so this replays what `gh attestation verify --format json` printed and returned, per predicate type,
# from the files the test lays in FAKE_GH_DIR (provenance.json, provenance.stderr, provenance.exit; sbom.*), and
# records each call's arguments in FAKE_GH_DIR/calls.
set -euo pipefail

printf '%s\n' "$*" >>"$FAKE_GH_DIR/calls"
[[ ${1:-} == attestation && ${2:-} == verify ]] || { echo "fake gh: only 'attestation verify' is recorded" >&2; exit 64; }
predicate=
while (($#)); do
    [[ $1 == --predicate-type ]] && predicate=${2:-}
    shift
done
case $predicate in
    https://slsa.dev/provenance/v1) kind=provenance ;;
    https://cyclonedx.org/bom) kind=sbom ;;
    *) echo "fake gh: no recording for predicate type '$predicate'" >&2; exit 65 ;;
esac
[[ -f $FAKE_GH_DIR/$kind.json ]] && cat "$FAKE_GH_DIR/$kind.json"
[[ -f $FAKE_GH_DIR/$kind.stderr ]] && cat "$FAKE_GH_DIR/$kind.stderr" >&2
exit "$(cat "$FAKE_GH_DIR/$kind.exit" 2>/dev/null || echo 0)"
