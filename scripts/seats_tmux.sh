#!/usr/bin/env bash
# A remote drill in tmux as people would run it: `drillsim host` and three seats (the controller,
# the crisis lead, the AI ops engineer), each in its own window, playing flash-sale-latency to its
# end; then the host stops and `drillsim report` writes the after-action report.
#
#   scripts/seats_tmux.sh                 # uses `drillsim` on PATH
#   DRILLSIM=.venv/bin/drillsim scripts/seats_tmux.sh
#   SEATS_TMUX_SLOW=3 scripts/seats_tmux.sh     # a very busy machine: every wait 3x longer
#
# It waits for states (what a window shows, what the journal holds), never for fixed sleeps: a
# key is pressed again only while the state it should bring has not come and nothing is waiting
# to be recorded. Exits non-zero (and prints the window's screen) on the first check that fails.
set -u

DRILLSIM=${DRILLSIM:-drillsim}
DRILLSIM=$(command -v "$DRILLSIM" || echo "$DRILLSIM")
command -v tmux >/dev/null || { echo "seats_tmux: tmux is not installed" >&2; exit 2; }
[ -x "$DRILLSIM" ] || { echo "seats_tmux: cannot run $DRILLSIM" >&2; exit 2; }
DRILLSIM=$(cd "$(dirname "$DRILLSIM")" && pwd)/$(basename "$DRILLSIM")   # the windows start elsewhere
SLOW=${SEATS_TMUX_SLOW:-1}
SPEED=${SEATS_TMUX_SPEED:-20}   # 45 sim minutes = 135 wall seconds: room for seats that answer slowly

WORK=$(mktemp -d)
SESSION="drillsim-seats-$$"
cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION:$1" 2>/dev/null || true; }

fail() {
    echo "seats_tmux FAILED: $2" >&2
    for window in "$1" host; do
        echo "----- $window -----" >&2
        screen "$window" >&2
    done
    [ -n "${RUN:-}" ] && [ -f "$RUN/journal.jsonl" ] && { echo "----- journal (last 5) -----" >&2; tail -5 "$RUN/journal.jsonl" >&2; }
    exit 1
}

# until_true SECONDS COMMAND...: poll COMMAND (wall-clock timeout, scaled by SEATS_TMUX_SLOW)
until_true() {
    local limit=$(($1 * SLOW)) start=$SECONDS
    shift
    until "$@"; do
        [ $((SECONDS - start)) -ge "$limit" ] && return 1
        sleep 0.25
    done
}

shows() { screen "$1" | grep -qF -- "$2"; }
journal_has() { grep -qE -- "$1" "$RUN/journal.jsonl" 2>/dev/null; }   # an extended regex
waiting() { shows "$1" "sent, waiting to be recorded"; }
recorded() { screen "$1" | grep -qE -- "[0-9]+ recorded"; }   # the seat's status line: its inputs are journaled

# wait_for WINDOW TEXT [SECONDS]
wait_for() {
    local seconds=${3:-60}
    until_true "$seconds" shows "$1" "$2" || fail "$1" "did not see '$2' within $((seconds * SLOW))s"
}

# press_until WINDOW KEY JOURNAL_REGEX [SECONDS]: press KEY until a journal line matches JOURNAL_REGEX; pressed
# again (every 10 s) only while nothing this seat sent is still waiting to be recorded
press_until() {
    local window=$1 key=$2 wanted=$3 seconds=${4:-90} start=$SECONDS
    while ! journal_has "$wanted"; do
        [ $((SECONDS - start)) -ge $((seconds * SLOW)) ] && fail "$window" "'$key' did not bring $wanted within $((seconds * SLOW))s"
        waiting "$window" || tmux send-keys -t "$SESSION:$window" "$key"
        until_true 10 journal_has "$wanted" || true
    done
}

tmux new-session -d -s "$SESSION" -n host -x 160 -y 48 -c "$WORK" \
    "$DRILLSIM host flash-sale-latency --roster crisis-team --seed 7 --speed $SPEED --port 0 --out $WORK/drills 2>&1 | tee -i $WORK/host.log; sleep 600"
# a detached session's new windows are 80x24; the seats are played at the comfortable 120x40, where
# every panel (the milestones the script waits for among them) shows in full
tmux set-option -t "$SESSION" default-size 120x40
wait_for host "Ctrl-C stops the host" 120
URL=$(grep -o 'listening on [^ ]*' "$WORK/host.log" | cut -d' ' -f3)
RUN=$(grep -o 'run folder: .*' "$WORK/host.log" | cut -d' ' -f3-)
[ -n "$URL" ] && [ -d "$RUN" ] || fail host "the host did not say where it listens and records"
line() { grep -E "^  $1 +drillsim join" "$WORK/host.log" | sed -E 's/^ +[a-z-]+ +//'; }

for seat in controller crisis-lead ai-ops-engineer; do
    command=$(line "$seat")
    [ -n "$command" ] || fail host "no join command for $seat"
    # the seat starts once its window has its full size: a window opens at 80x24 and is resized a
    # moment later, and an app that starts in between on a busy machine can miss the resize
    tmux new-window -t "$SESSION" -n "$seat" -c "$WORK" \
        "for _ in \$(seq 100); do [ \"\$(tput cols)\" -ge 120 ] && break; sleep 0.1; done; ${command/drillsim/$DRILLSIM}; sleep 600"
done
# each seat is up once its first view is drawn and the host says it is connected
wait_for controller "Everything (controller)" 180                 # its feed: at 120x40 the truth is a tab (t)
wait_for crisis-lead "Actions: crisis-lead" 180
wait_for ai-ops-engineer "Actions: ai-ops-engineer" 180
connected() { [ "$(grep -c '^seat connected: ' "$WORK/host.log")" -ge 3 ]; }
until_true 60 connected || fail host "the host does not say three seats connected"
shows crisis-lead "Feature-store schema change" && fail crisis-lead "a fault label reached a role seat"
tmux send-keys -t "$SESSION:controller" t                            # the controller's next pane: the truth
wait_for controller "Ground truth (controller only)" 30
wait_for controller "Feature-store schema change" 30                 # the fault's label: the controller's alone

press_until controller Space '"type":"resumed"'                      # start the drill
wait_for crisis-lead "✓ Detected" 120
press_until crisis-lead 1 '"type":"action_submitted",.*"action":"activate-playbook"'  # the crisis lead's first action
until_true 60 recorded crisis-lead || fail crisis-lead "the seat never showed its input recorded"
wait_for ai-ops-engineer "✓ Acknowledged" 120
press_until ai-ops-engineer 1 '"type":"action_submitted",.*"action":"rollback-model"'  # the AI ops engineer's first action
until_true 60 recorded ai-ops-engineer || fail ai-ops-engineer "the seat never showed its input recorded"
wait_for ai-ops-engineer "Contained" 120
journal_has '"type":"drill_ended"' && fail controller "the drill ended by itself before the controller ended it"

tmux send-keys -t "$SESSION:controller" e                            # end the drill, confirm
until_true 30 shows controller "End the drill for everyone?" || {
    tmux send-keys -t "$SESSION:controller" e
    wait_for controller "End the drill for everyone?" 30
}
press_until controller y '"type":"drill_ended"' 60
wait_for crisis-lead "ENDED" 60
wait_for host "The drill ended (facilitator)" 60

tmux send-keys -t "$SESSION:host" C-c
wait_for host "The host stopped" 60
grep -q '"by":"Avery"' "$RUN/journal.jsonl" || fail host "the crisis lead's action is not Avery's in the journal"
grep -q '"by":"Blake"' "$RUN/journal.jsonl" || fail host "the AI ops engineer's action is not Blake's in the journal"
"$DRILLSIM" replay "$RUN" --check >/dev/null || fail host "the hosted drill's journal does not replay"
"$DRILLSIM" report "$RUN" --no-par >/dev/null || fail host "drillsim report failed"
[ -s "$RUN/report.md" ] || fail host "no report.md"
echo "seats_tmux: host + 3 seats played flash-sale-latency to its end; journal replays; report written"
