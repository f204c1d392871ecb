#!/usr/bin/env bash
# Kills attache with SIGKILL at random moments while it imports, adds, undoes, runs the
# interface, or saves the interface's form, then checks the database: PRAGMA integrity_check
# must say ok, and each change must be all or nothing (the event count before it, or after it,
# never between).
# Usage: scripts/crash.sh [TRIES_EACH [CASE...]]   (default 50 of each of: import add undo
# interface form; needs python3, and tmux for the interface)
set -euo pipefail
cd "$(dirname "$0")/.."
tries=${1:-50}
shift || true
cases=(import add undo interface form)
[ $# -gt 0 ] && cases=("$@")
cargo build --release --quiet --example generate
cargo build --release --quiet
bin=$PWD/target/release/attache
work=$(mktemp -d)
trap 'tmux kill-session -t attache-crash 2>/dev/null || true; rm -rf "$work"' EXIT
target/release/examples/generate 5000 >"$work/events.csv"

# A seeded database, closed cleanly, copied afresh for every try.
"$bin" --db "$work/base.db" seed >/dev/null
check() {
  python3 - "$1" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
count = conn.execute("SELECT count(*) FROM event").fetchone()[0]
print(ok, count)
PY
}
fresh() {
  rm -f "$work"/x.db*
  cp "$work/base.db" "$work/x.db"
}
# Waits up to 10 s for the interface's screen to show $1.
wait_for() {
  for _ in $(seq 1 200); do
    tmux capture-pane -p -t attache-crash 2>/dev/null | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  echo "  the screen never showed: $1" >&2
  return 1
}
# A random pause of up to $1 milliseconds.
pause() { sleep "$(awk -v max="$1" -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", rand() * max / 1000 }')"; }

# How long each command takes, to kill it anywhere within its run.
fresh
start=$(date +%s%N); "$bin" --db "$work/x.db" import "$work/events.csv" >/dev/null; end=$(date +%s%N)
import_ms=$(((end - start) / 1000000))
adding=(add --date 2026-01-22 --title "Crash test" --participant "Putin:RU" --participant "Witkoff:US")
add() { "$bin" --db "$work/x.db" "${adding[@]}" >/dev/null 2>&1; }
fresh
start=$(date +%s%N); add; end=$(date +%s%N)
add_ms=$(((end - start) * 3 / 4000000))

# Spins of an empty loop that take about as long as an add, the longest a form's save can take.
spin_start=$(date +%s%N); for ((i = 0; i < 100000; i++)); do :; done; spin_end=$(date +%s%N)
spin_max=$((100000 * add_ms * 1000000 / (spin_end - spin_start) + 1))

held=0
report() {
  local name=$1 runs=$2 good=$3 unchanged=$4
  echo "$name: $runs tries, $good held ($unchanged killed before the change, $((good - unchanged)) after it)"
  held=$((held + runs - good))
}

for name in "${cases[@]}"; do
  good=0
  unchanged=0
  for _ in $(seq 1 "$tries"); do
    fresh
    case $name in
      undo) add ;;
    esac
    read -r _ before < <(check "$work/x.db")
    case $name in
      import)
        "$bin" --db "$work/x.db" import "$work/events.csv" >/dev/null 2>&1 &
        pid=$!; pause "$import_ms"; allowed="$before $((before + 5000))" ;;
      add)
        # The binary itself in the background, not a function: the kill must reach it.
        "$bin" --db "$work/x.db" "${adding[@]}" >/dev/null 2>&1 &
        pid=$!; pause "$add_ms"; allowed="$before $((before + 1))" ;;
      undo)
        "$bin" --db "$work/x.db" undo >/dev/null 2>&1 &
        pid=$!; pause "$add_ms"; allowed="$before $((before - 1))" ;;
      interface)
        tmux new-session -d -s attache-crash -x 100 -y 30 "$bin --db $work/x.db"
        pause 1500
        pid=$(pgrep -f -- "--db $work/x.db" | head -1 || true)
        allowed="$before" ;;
      form)
        # A whole event typed into the form; the kill lands within the moments after Ctrl-S.
        tmux new-session -d -s attache-crash -x 100 -y 30 "$bin --db $work/x.db"
        wait_for "Timeline 1 /"
        tmux send-keys -t attache-crash a
        wait_for "Add an event"
        tmux send-keys -t attache-crash -l "Crash test"
        tmux send-keys -t attache-crash Tab
        tmux send-keys -t attache-crash -l "22 Jan 2026"
        tmux send-keys -t attache-crash Tab Tab Tab Tab Tab Tab Tab Tab
        tmux send-keys -t attache-crash -l "Putin"
        tmux send-keys -t attache-crash Tab
        tmux send-keys -t attache-crash -l "RU"
        wait_for "→ Vladimir Putin"
        pid=$(pgrep -f -- "--db $work/x.db" | head -1 || true)
        # The kill follows the key after a random spin of up to a few milliseconds, with no
        # process started between them (a `sleep` alone takes longer than the save): it lands
        # before the key arrives, during the save, or after it.
        tmux send-keys -t attache-crash C-s 2>/dev/null || true
        spin=$(((RANDOM * 32768 + RANDOM) % spin_max))
        for ((i = 0; i < spin; i++)); do :; done
        kill -9 "$pid" 2>/dev/null || true
        allowed="$before $((before + 1))" ;;
    esac
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    wait 2>/dev/null || true
    tmux kill-session -t attache-crash 2>/dev/null || true
    read -r ok after < <(check "$work/x.db")
    if [ "$ok" = ok ] && [[ " $allowed " == *" $after "* ]]; then
      good=$((good + 1))
      [ "$after" = "$before" ] && unchanged=$((unchanged + 1))
    else
      echo "  $name: integrity $ok, $after events (allowed: $allowed)"
    fi
  done
  report "$name" "$tries" "$good" "$unchanged"
done
[ "$held" -eq 0 ]
