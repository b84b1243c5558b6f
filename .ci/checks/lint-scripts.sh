#!/usr/bin/env bash
# Lints with shellcheck, zero findings allowed, .ci/run and every shell script of the repository outside .github/
# (lint-workflows.sh covers the workflows and their scripts), committed or new; sourced files are followed.
#
# Usage: bash .ci/checks/lint-scripts.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v shellcheck >/dev/null || .ci/apt-install.sh shellcheck
mapfile -t scripts < <(git ls-files --cached --others --exclude-standard -- '*.sh' ':!:.github/' && echo .ci/run)
shellcheck --external-sources "${scripts[@]}"
echo "lint-scripts: clean (${#scripts[@]} scripts)"
