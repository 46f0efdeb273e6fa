#!/usr/bin/env bash
# Drive the real `drillsim` in tmux as a facilitator would, at 80x24 and 160x48, and check
# what is on screen: launcher -> briefing -> drill -> pause -> note -> end -> debrief -> report;
# then the largest scenario (llm-pii-exposure) at 80x24: panes, end question, discard.
#
#   scripts/tmux_smoke.sh                 # uses `drillsim` on PATH
#   DRILLSIM=.venv/bin/drillsim scripts/tmux_smoke.sh
#   TMUX_SMOKE_SLOW=3 scripts/tmux_smoke.sh   # every wait three times as long
#
# On a busy machine every wait grows: TMUX_SMOKE_SLOW (default: the load average per core,
# rounded up, between 1 and 8) multiplies each timeout, and keys are sent one at a time with
# a pause that grows alike, so a slow app sees them in order and a check is never a race.
#
# Exits non-zero (and prints the screen) on the first check that fails.
set -u

DRILLSIM=${DRILLSIM:-drillsim}
DRILLSIM=$(command -v "$DRILLSIM" || echo "$DRILLSIM")
case $DRILLSIM in /*) ;; *) DRILLSIM="$PWD/$DRILLSIM" ;; esac   # the sessions run in other folders
command -v tmux >/dev/null || { echo "tmux_smoke: tmux is not installed" >&2; exit 2; }
[ -x "$DRILLSIM" ] || { echo "tmux_smoke: cannot run $DRILLSIM" >&2; exit 2; }

if [ -z "${TMUX_SMOKE_SLOW:-}" ]; then
    TMUX_SMOKE_SLOW=$(awk -v cores="$(nproc 2>/dev/null || echo 1)" \
        '{ f = $1 / cores; f = (f == int(f)) ? f : int(f) + 1; if (f < 1) f = 1; if (f > 8) f = 8; print f }' \
        /proc/loadavg 2>/dev/null || echo 1)
fi
SLOW=$TMUX_SMOKE_SLOW
echo "tmux_smoke: waits x$SLOW"

WORK=$(mktemp -d)
SESSION="drillsim-smoke-$$"
cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION" 2>/dev/null || true; }

fail() {
    echo "tmux_smoke FAILED ($SIZE): $*" >&2
    echo "----- screen -----" >&2
    screen >&2
    exit 1
}

# wait_for TEXT [SECONDS]: poll the screen until TEXT shows up
wait_for() {
    local text=$1 timeout=$(( ${2:-15} * SLOW )) waited=0
    while true; do
        if screen | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.25
        waited=$((waited + 1))
        if [ "$waited" -ge $((timeout * 4)) ]; then
            fail "did not see '$text' within ${timeout}s"
        fi
    done
}

# wait_gone TEXT [SECONDS]: poll the screen until TEXT is no longer on it
wait_gone() {
    local text=$1 timeout=$(( ${2:-15} * SLOW )) waited=0
    while screen | grep -qF -- "$text"; do
        sleep 0.25
        waited=$((waited + 1))
        [ "$waited" -ge $((timeout * 4)) ] && fail "'$text' still on screen after ${timeout}s"
    done
}

# keys KEY...: each key on its own, with a pause after it (longer on a busy machine)
keys() {
    local pause
    pause=$(awk -v s="$SLOW" 'BEGIN { print 0.3 * s }')
    if [ "$1" = "-l" ]; then
        tmux send-keys -t "$SESSION" -l "$2"
        sleep "$pause"
        return
    fi
    local key
    for key in "$@"; do
        tmux send-keys -t "$SESSION" "$key"
        sleep "$pause"
    done
}

# focus_line TEXT: the screen line holding TEXT, with its colours (a focused field looks different)
focus_line() { tmux capture-pane -e -p -t "$SESSION" 2>/dev/null | grep -F -- "$1" || true; }

# keys_then_focus KEY TEXT [SECONDS]: press KEY, then wait until the field showing TEXT changes
# its look (takes focus), so that typing goes into the field and not to the screen's key bindings
keys_then_focus() {
    local key=$1 text=$2 timeout=$(( ${3:-15} * SLOW )) waited=0 before
    before=$(focus_line "$text")
    keys "$key"
    while [ "$(focus_line "$text")" = "$before" ]; do
        sleep 0.25
        waited=$((waited + 1))
        [ "$waited" -ge $((timeout * 4)) ] && fail "'$text' did not take focus within ${timeout}s"
    done
}

# speed_to xN: press + until the header shows the speed (one key at a time: a key that arrives
# while the screen is still busy is not lost, nor counted twice)
speed_to() {
    local speed=$1 presses=0
    until screen | grep -qF -- "$speed"; do
        [ "$presses" -ge 6 ] && fail "the speed did not reach $speed after 6 presses of +"
        tmux send-keys -t "$SESSION" +
        presses=$((presses + 1))
        local waited=0
        while [ "$waited" -lt $((4 * SLOW)) ] && ! screen | grep -qF -- "$speed"; do
            sleep 0.25
            waited=$((waited + 1))
        done
    done
}

run_at() {
    local cols=$1 rows=$2
    SIZE="${cols}x${rows}"
    local dir="$WORK/$SIZE"
    mkdir -p "$dir"
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    tmux new-session -d -s "$SESSION" -x "$cols" -y "$rows" -c "$dir" \
        "TERM=xterm-256color '$DRILLSIM'; echo EXITED-\$?; sleep 30"
    wait_for "Scenarios"
    wait_for "Flash-sale recommendation"
    keys Enter
    wait_for "Start the drill"
    keys C-s
    wait_for "Incident feed"
    speed_to x30                        # x1 -> x30
    wait_for "PAGER" 20
    keys Space
    wait_for "PAUSED"
    keys n
    wait_for "Facilitator note"
    keys -l "smoke note $SIZE"
    keys C-s
    wait_for "Note saved"  # the hint line: sent, then recorded (notes are the controller's: not in the players' feed)
    keys Space
    keys 1                              # activate the playbook (available once detected)
    wait_for "Submitted"
    keys e
    wait_for "End the drill now?"
    keys y
    wait_for "DEBRIEF" 20
    wait_for "SCORE" 20
    wait_for "Report:" 90               # par and the first report are done: the screen stops changing
    keys_then_focus s "what went well"
    keys -l "smoke strength"
    keys Enter
    wait_for "✓ smoke strength"         # recorded: the report rewrite that holds it has started
    local waited=0
    until grep -qs "smoke strength" "$dir"/drills/*/report.md; do
        sleep 0.25
        waited=$((waited + 1))
        [ "$waited" -ge $((240 * SLOW)) ] && fail "the report was not rewritten with the hotwash within $((60 * SLOW))s"
    done
    wait_for "Report:" 60
    keys Escape
    keys q
    wait_for "EXITED-0" 15
    local run
    run=$(ls -d "$dir"/drills/*/ 2>/dev/null | head -n 1)
    [ -n "$run" ] || fail "no run folder under $dir/drills"
    grep -q "smoke note $SIZE" "$run/journal.jsonl" || fail "the note is not in the journal"
    grep -q '"hotwash"' "$run/journal.jsonl" || fail "the hotwash is not in the journal"
    [ -s "$run/report.html" ] || fail "no report.html in $run"
    grep -q "smoke strength" "$run/report.md" || fail "the report does not hold the hotwash note"
    echo "tmux_smoke: $SIZE ok ($run)"
}

# the largest scenario at 80x24: a participant's name, every pane behind its tab, the end question's
# safe default, and discarding the drill from the debrief
run_large_at() {
    local cols=$1 rows=$2
    SIZE="${cols}x${rows} llm-pii-exposure"
    local dir="$WORK/large-${cols}x${rows}"
    mkdir -p "$dir"
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    tmux new-session -d -s "$SESSION" -x "$cols" -y "$rows" -c "$dir" \
        "TERM=xterm-256color '$DRILLSIM' run llm-pii-exposure --seed 7; echo EXITED-\$?; sleep 30"
    wait_for "Start the drill"
    keys -l "Ana"                       # the cursor starts in the first participant's name
    keys Enter                          # moves to the next name: does not start the drill
    wait_for "who plays Priya"
    keys C-s
    wait_for "Incident feed"
    wait_for "Actions"
    speed_to x30
    keys t
    wait_for "Ana"                      # the team pane, with who plays whom
    keys t
    wait_for "Milestones and clocks"    # milestones and clocks (the players see a clock once it started)
    keys t
    keys e
    wait_for "End the drill now?"
    wait_for "Keep playing"
    keys Enter                          # the default keeps playing
    wait_gone "End the drill now?"      # the question closed, the drill screen is back
    sleep "$SLOW"
    screen | grep -qF "DEBRIEF" && fail "Enter on the end question ended the drill"
    keys e
    wait_for "End the drill now?"
    keys y
    wait_for "DEBRIEF" 20
    keys x
    wait_for "Discard this drill?"
    keys y
    wait_for "Scenarios" 20
    ls -d "$dir"/drills/.discarded/*/ >/dev/null 2>&1 || fail "the discarded drill is not in drills/.discarded/"
    keys q
    wait_for "EXITED-0" 15
    echo "tmux_smoke: $SIZE ok"
}

run_at 80 24
run_at 160 48
run_large_at 80 24
echo "tmux_smoke: all ok"
