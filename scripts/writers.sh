#!/usr/bin/env bash
# Several writers on one database file at once, with an exporter looping and the interface open
# in tmux: every add must succeed and be present, and undo must take back the last one written.
# Usage: scripts/writers.sh [WRITERS] [ADDS_EACH]   (default 4 x 200; needs tmux)
set -euo pipefail
cd "$(dirname "$0")/.."
writers=${1:-4}
adds=${2:-200}
cargo build --release --quiet
bin=$PWD/target/release/attache
work=$(mktemp -d)
trap 'tmux kill-session -t attache-writers 2>/dev/null || true; rm -rf "$work"' EXIT
db=$work/x.db
"$bin" --db "$db" seed >/dev/null
tmux new-session -d -s attache-writers -x 100 -y 30 "$bin --db $db"
(
  while [ ! -f "$work/stop" ]; do
    "$bin" --db "$db" export --out "$work/e.csv" >/dev/null 2>>"$work/export.err" || echo x >>"$work/export.fail"
  done
) &
exporter=$!
start=$(date +%s.%N)
pids=()
for w in $(seq 1 "$writers"); do
  (
    for i in $(seq 1 "$adds"); do
      day=$(printf '2026-01-%02d' $(((i % 28) + 1)))
      "$bin" --db "$db" add --date "$day" --title "writer $w add $i Путин–Witkoff" \
        --participant "Putin:RU" --participant "Witkoff:US" --allow-duplicate \
        >/dev/null 2>>"$work/err$w" || echo "$i" >>"$work/fail$w"
    done
  ) &
  pids+=($!)
done
wait "${pids[@]}"
end=$(date +%s.%N)
touch "$work/stop"
wait "$exporter"
count_lines() { { cat "$@" 2>/dev/null || true; } | wc -l; }
failed=$(count_lines "$work"/fail*)
exports_failed=$(count_lines "$work/export.fail")
present=$("$bin" --db "$db" list --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expected=$((26 + writers * adds))
printf 'writers: %s x %s adds in %.1f s; failed adds: %s; failed exports: %s; events present: %s of %s\n' \
  "$writers" "$adds" "$(echo "$end - $start" | bc)" "$failed" "$exports_failed" "$present" "$expected"
{ cat "$work"/err* 2>/dev/null || true; } | sort | uniq -c | head -5
echo "interface: $(tmux capture-pane -p -t attache-writers | tail -1 | sed 's/  */ /g')"
[ "$failed" -eq 0 ] && [ "$exports_failed" -eq 0 ] && [ "$present" -eq "$expected" ]
