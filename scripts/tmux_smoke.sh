#!/usr/bin/env bash
# A person-level smoke test: run the real `tutor` in tmux, send keys, read the screen.
# Usage: scripts/tmux_smoke.sh [ko|en]     (needs tmux; uses a throw-away data dir)
set -euo pipefail
lang="${1:-en}"
data="$(mktemp -d)"
s="tutor-smoke-$$"
py="${PYTHON:-python3}"
trap 'tmux kill-session -t "$s" 2>/dev/null || true; rm -rf "$data"' EXIT
show() { echo "----- $1"; tmux capture-pane -p -t "$s"; }
wait_for() {  # wait until the pane shows $1 (at most 20 s)
    for _ in $(seq 200); do tmux capture-pane -p -t "$s" | grep -q -- "$1" && return 0; sleep 0.1; done
    show "TIMEOUT waiting for: $1"; exit 1
}
keys() { for k in "$@"; do tmux send-keys -t "$s" "$k"; sleep 0.3; done; }

tmux new-session -d -s "$s" -x 100 -y 32 "TUTOR_DATA_DIR=$data $py -m tutor --lang $lang"
if [ "$lang" = ko ]; then home="주제"; else home="Topic"; fi
wait_for "$home";                          show "home"
keys Enter;                                sleep 1; show "lesson: first card"
keys n n;                                  sleep 1; show "lesson: third card"
keys p;                                    sleep 1; show "practice: first question"
keys x y z Enter;                          sleep 1; show "a malformed answer: format error, no attempt used"
keys F2;                                   sleep 1; show "hint"
keys F3;                                   sleep 2; show "worked solution"
keys Escape Escape a;                      sleep 2; show "labs"
keys F3 F3;                                sleep 1; show "labs: two steps on"
keys Escape s;                             sleep 1; show "stats"
keys Escape l;                             sleep 1; show "language switched"
keys q;                                    sleep 1
if tmux has-session -t "$s" 2>/dev/null && tmux capture-pane -p -t "$s" | grep -q "$home"; then
    echo "tutor did not quit on q"; exit 1
fi
echo "smoke test passed"
