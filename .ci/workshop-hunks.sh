#!/usr/bin/env bash
# Copies the hunks of docs/workshop/third-option.patch into module 3, under each `<!-- hunks: PATH -->` line, as a
# ```diff block (replacing the block already there), so the module shows exactly the patch a learner can apply.
# Run it after remaking the patch (make the change on a clean tree, then `git diff > docs/workshop/third-option.patch`);
# Tests/Voting.Docs.Tests fails while the two differ.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
patch=$root/docs/workshop/third-option.patch
module=$root/docs/workshop/03-third-option.md
out=$(mktemp)
trap 'rm -f "$out"' EXIT

awk '
    # First file: the patch. Each file section`s hunks are the lines from its first @@ to the next "diff --git".
    FNR == NR {
        if ($0 ~ /^diff --git a\//) { path = substr($3, 3); inhunks = 0; next }
        if ($0 ~ /^@@/) inhunks = 1
        if (inhunks) hunks[path] = hunks[path] $0 "\n"
        next
    }
    # Second file: the module. Replace the block after each marker with the hunks.
    skipping && /^```$/ { skipping = 0; next }
    skipping { next }
    expectfence && /^```diff$/ { expectfence = 0; skipping = 1; next }
    { expectfence = 0 }
    match($0, /^<!-- hunks: [^ ]+ -->$/) {
        path = substr($0, 13, length($0) - 16)
        if (!(path in hunks)) { print "workshop-hunks: the patch has no " path > "/dev/stderr"; exit 1 }
        print
        printf "```diff\n%s```\n", hunks[path]
        shown[path] = 1
        expectfence = 1
        next
    }
    { print }
    END {
        for (path in hunks) if (!(path in shown)) { print "workshop-hunks: module 3 has no marker for " path > "/dev/stderr"; failed = 1 }
        exit failed
    }
' "$patch" "$module" >"$out"
cp "$out" "$module"
echo "workshop-hunks: module 3 shows the hunks of $(grep -c '^diff --git' "$patch") files"
