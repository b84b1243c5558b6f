#!/usr/bin/env bash
# Sourced by promote.sh and promotion-check.sh: the state a promotion is decided on, read from git in a handful of
# commands (the promotion runs for every report of dev's deployment), and the promotion check's verdict on it.
# promotion-status.sh sources it for the two status contexts.
#
# Environment (defaults in brackets): APP_NAME [voting], SOURCE_ENVIRONMENT [dev], TARGET_ENVIRONMENT [prod],
# PROMOTION_BRANCH [promote/TARGET]. A build is a source commit of main (drySha) with the images CD set on it; the
# same build in both environments means the same rendering input, whatever their overlays add.
# shellcheck disable=SC2034 # the variables set here are read by the scripts that source this file

# shellcheck source=SCRIPTDIR/common.sh
source "${BASH_SOURCE[0]%/*}/common.sh"
app=${APP_NAME:-voting}
source_env=${SOURCE_ENVIRONMENT:-dev}
target_env=${TARGET_ENVIRONMENT:-prod}
promotion_branch=${PROMOTION_BRANCH:-promote/$target_env}
status_context=continuous-delivery/$app-$source_env
check_context=promotion/$source_env-runs-this

# Fetches main, the environment branches, the promotion branch and the hold, then sets:
#   DEV_HEAD, PROD_HEAD, PROPOSAL_HEAD   the heads of environments/SOURCE, environments/TARGET, the promotion branch
#   PROPOSAL_PARENT                      the commit the proposal is based on
#   HOLD_REASON                          the message of the tag hold/TARGET ('' when the target is not held)
#   DEV_META, PROD_META, PROPOSAL_META   their hydrator.metadata ({} when absent)
#   PROD_HISTORY                         every hydrator.metadata environments/TARGET has had, one after the other
load_promotion_state() {
    local ref object parent subject
    git fetch --quiet --prune --no-tags origin "+refs/heads/main:refs/remotes/origin/main" \
        "+refs/heads/environments/*:refs/remotes/origin/environments/*" \
        "+refs/heads/${promotion_branch%/*}/*:refs/remotes/origin/${promotion_branch%/*}/*" \
        "+refs/tags/hold/*:refs/remotes/origin/hold/*"
    DEV_HEAD='' PROD_HEAD='' PROPOSAL_HEAD='' PROPOSAL_PARENT='' HOLD_REASON=''
    while IFS='|' read -r ref object parent subject; do
        case $ref in
            refs/remotes/origin/environments/"$source_env") DEV_HEAD=$object ;;
            refs/remotes/origin/environments/"$target_env") PROD_HEAD=$object ;;
            refs/remotes/origin/"$promotion_branch") PROPOSAL_HEAD=$object PROPOSAL_PARENT=$parent ;;
            refs/remotes/origin/hold/"$target_env") HOLD_REASON=${subject:-held, no reason given} ;;
        esac
    done < <(git for-each-ref --format='%(refname)|%(objectname)|%(parent)|%(contents:subject)' \
        "refs/remotes/origin/environments" "refs/remotes/origin/$promotion_branch" "refs/remotes/origin/hold/$target_env")
    [[ -n $DEV_HEAD && -n $PROD_HEAD ]] ||
        { echo "promotion: environments/$source_env or environments/$target_env is missing (.github/scripts/configure-repository.sh creates them)" >&2; exit 1; }

    read_metadata "$DEV_HEAD" "$PROD_HEAD" "$PROPOSAL_HEAD"
    DEV_META=${METADATA[0]} PROD_META=${METADATA[1]} PROPOSAL_META=${METADATA[2]}
    local revisions=()
    mapfile -t revisions < <(git rev-list "$PROD_HEAD" -- hydrator.metadata)
    PROD_HISTORY=$( ((${#revisions[@]} == 0)) || git grep -h '' "${revisions[@]}" -- hydrator.metadata || true)
}

# The jq definitions the decisions share; promotion_query binds their variables. key is a build's identity.
# shellcheck disable=SC2016 # jq's variables, not the shell's
promotion_jq='
def key: if (.drySha // "") == "" then null else "\(.drySha) \(.images // [] | sort | join(" "))" end;
def short: (. // "nothing")[0:7];
def verdict($state; $description): {state: $state, description: ($description | gsub("[\r\n]+"; " "))[0:140]};
# The promotion check of a hydrated state $m proposed for the target: success only while the source runs exactly this
# build and its latest report on it is a success, or when the target ran it before (a rollback).
def check($m):
  ($m | key) as $k
  | if $k == ($prod | key) then verdict("success"; "\($target) runs this build already (\($m.drySha | short))")
    elif $k == null then verdict("failure"; "no hydrator.metadata: not a hydrated state")
    elif any($history[]; key == $k) then verdict("success"; "rollback to \($m.drySha | short), which \($target) ran before")
    elif $hold != "" then verdict("failure"; "\($target) is on hold: \($hold)")
    elif $k != ($dev | key) then verdict("failure"; "superseded: \($source) now runs \($dev.drySha | short), this is \($m.drySha | short)")
    elif $status.state == "success" then verdict("success"; "\($source) runs this build, healthy at \($devhead | short)")
    elif $status.state == "failure" or $status.state == "error"
    then verdict("failure"; "\($source) is \($status.state) on this build at \($devhead | short): \($status.description // "")")
    else verdict("pending"; "waiting for \($source)'"'"'s report on \($devhead | short)")
    end;
'

# Runs jq -r with the state bound (see promotion_jq), $event set to STATUS_JSON (null for none) and $status to it
# when it is the latest report on the source's head, else null. Usage: promotion_query STATUS_JSON PROGRAM [jq options]
promotion_query() {
    local event=$1 program=$2
    shift 2
    jq -n -r --argjson dev "$DEV_META" --argjson prod "$PROD_META" --argjson proposal "$PROPOSAL_META" \
        --slurpfile history <(printf '%s' "$PROD_HISTORY") --arg hold "$HOLD_REASON" --arg devhead "$DEV_HEAD" \
        --argjson event "$event" --arg context "$status_context" --arg source "$source_env" --arg target "$target_env" \
        "$@" '($event | if . != null and .sha == $devhead and .context == $context then . else null end) as $status
        | '"$hydrator_jq $promotion_jq $program"
}
