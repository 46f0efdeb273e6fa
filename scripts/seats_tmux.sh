#!/usr/bin/env bash
# A remote drill in tmux as people would run it: `drillsim host` and three seats (the controller,
# the crisis lead, the AI ops engineer), each in its own window, playing flash-sale-latency at 60x
# to its end; then the host stops and `drillsim report` writes the after-action report.
#
#   scripts/seats_tmux.sh                 # uses `drillsim` on PATH
#   DRILLSIM=.venv/bin/drillsim scripts/seats_tmux.sh
#
# Exits non-zero (and prints the window's screen) on the first check that fails.
set -u

DRILLSIM=${DRILLSIM:-drillsim}
DRILLSIM=$(command -v "$DRILLSIM" || echo "$DRILLSIM")
command -v tmux >/dev/null || { echo "seats_tmux: tmux is not installed" >&2; exit 2; }
[ -x "$DRILLSIM" ] || { echo "seats_tmux: cannot run $DRILLSIM" >&2; exit 2; }
DRILLSIM=$(cd "$(dirname "$DRILLSIM")" && pwd)/$(basename "$DRILLSIM")   # the windows start elsewhere

WORK=$(mktemp -d)
SESSION="drillsim-seats-$$"
cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION:$1" 2>/dev/null || true; }

fail() {
    echo "seats_tmux FAILED: $2" >&2
    echo "----- $1 -----" >&2
    screen "$1" >&2
    exit 1
}

# wait_for WINDOW TEXT [SECONDS]
wait_for() {
    local window=$1 text=$2 timeout=${3:-20} waited=0
    until screen "$window" | grep -qF -- "$text"; do
        sleep 0.25
        waited=$((waited + 1))
        [ "$waited" -ge $((timeout * 4)) ] && fail "$window" "did not see '$text' within ${timeout}s"
    done
}

keys() { tmux send-keys -t "$SESSION:$1" "$2"; sleep 0.3; }

tmux new-session -d -s "$SESSION" -n host -x 160 -y 48 -c "$WORK" \
    "$DRILLSIM host flash-sale-latency --roster crisis-team --seed 7 --speed 60 --port 0 --out $WORK/drills 2>&1 | tee -i $WORK/host.log; sleep 600"
wait_for host "Ctrl-C stops the host"
URL=$(grep -o 'listening on [^ ]*' "$WORK/host.log" | cut -d' ' -f3)
RUN=$(grep -o 'run folder: .*' "$WORK/host.log" | cut -d' ' -f3-)
line() { grep -E "^  $1 +drillsim join" "$WORK/host.log" | sed -E 's/^ +[a-z-]+ +//'; }

for seat in controller crisis-lead ai-ops-engineer; do
    command=$(line "$seat")
    [ -n "$command" ] || fail host "no join command for $seat"
    tmux new-window -t "$SESSION" -n "$seat" -c "$WORK" "${command/drillsim/$DRILLSIM}; sleep 600"
done
wait_for controller "Ground truth (controller only)"
wait_for crisis-lead "Actions: crisis-lead"
wait_for ai-ops-engineer "Actions: ai-ops-engineer"
screen crisis-lead | grep -qF "Feature-store schema change" && fail crisis-lead "a fault label reached a role seat"

keys controller Space                                 # start the drill
wait_for crisis-lead "✓ Detected" 30
keys crisis-lead 1                                    # activate the playbook (the crisis lead's first action)
wait_for crisis-lead "1 recorded" 20
wait_for ai-ops-engineer "✓ Acknowledged" 60
keys ai-ops-engineer 1                                # roll back the model (the AI ops engineer's first action)
wait_for ai-ops-engineer "1 recorded" 20
wait_for ai-ops-engineer "Contained" 60

keys controller e                                     # end the drill, confirm
wait_for controller "End the drill for everyone?"
keys controller y
wait_for crisis-lead "ENDED" 20
wait_for host "The drill ended (facilitator)" 20

tmux send-keys -t "$SESSION:host" C-c
wait_for host "The host stopped" 20
grep -q '"by":"Avery"' "$RUN/journal.jsonl" || fail host "the crisis lead's action is not Avery's in the journal"
grep -q '"by":"Blake"' "$RUN/journal.jsonl" || fail host "the AI ops engineer's action is not Blake's in the journal"
"$DRILLSIM" replay "$RUN" --check >/dev/null || fail host "the hosted drill's journal does not replay"
"$DRILLSIM" report "$RUN" --no-par >/dev/null || fail host "drillsim report failed"
[ -s "$RUN/report.md" ] || fail host "no report.md"
echo "seats_tmux: host + 3 seats played flash-sale-latency to its end; journal replays; report written"
