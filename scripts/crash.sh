#!/usr/bin/env bash
# Kills attache with SIGKILL at random moments while it imports, adds, undoes, or runs the
# interface, then checks the database: PRAGMA integrity_check must say ok, and each change must
# be all or nothing (the event count before it, or after it, never between).
# Usage: scripts/crash.sh [TRIES_EACH]   (default 50; needs python3, and tmux for the interface)
set -euo pipefail
cd "$(dirname "$0")/.."
tries=${1:-50}
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

held=0
report() {
  local name=$1 runs=$2 good=$3 unchanged=$4
  echo "$name: $runs tries, $good held ($unchanged killed before the change, $((good - unchanged)) after it)"
  held=$((held + runs - good))
}

for name in import add undo interface; do
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
