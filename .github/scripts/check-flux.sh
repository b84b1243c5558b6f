#!/usr/bin/env bash
# Checks that the Flux in the current kubectl context can report deployments the way the promotion needs: its
# notification-controller must be 1.6 or later (Flux 2.6: the Provider's commitStatusExpr, which names the status
# continuous-delivery/<kustomization>) and not 1.8.x (Flux 2.8, whose commit-status providers drop error events:
# a failed deployment would post nothing). Prints the version found; exits 1, saying why, otherwise.
#
# Usage: .github/scripts/check-flux.sh     (after installing Flux; docs/gitops.md, "Deploy with Flux")
set -euo pipefail

image=$(kubectl --namespace flux-system get deployment notification-controller \
    --output 'jsonpath={.spec.template.spec.containers[0].image}')
# The tag, without a registry port or a digest: v1.7.5, or a distribution's build of it such as v1.7.5-15.
tag=${image##*/}
tag=${tag%%@*}
tag=${tag#*:}
if [[ ! $tag =~ ^v?([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
    echo "check-flux: cannot read a version from notification-controller's image '$image'" >&2
    exit 1
fi
major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
version="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}"

if ((major == 1 && minor < 6)); then
    echo "check-flux: notification-controller $version is older than 1.6 (Flux 2.6): it cannot name the commit status the promotion waits for; upgrade Flux" >&2
    exit 1
fi
if ((major == 1 && minor == 8)); then
    echo "check-flux: notification-controller $version (Flux 2.8) posts no failure status for a failed deployment; use Flux 2.7 or 2.9 and later" >&2
    exit 1
fi
echo "check-flux: notification-controller $version reports deployments as the promotion expects"
