#!/usr/bin/env bash
# Search benchmark on the GTZAN dev clips: ENAS, random search and regularized evolution with the
# same wall-time budget, supernet, reward and device profile; each winner retrained with the same
# recipe as the MobileNetV3-Small baseline (trained once, in the ENAS run). Table on stdout, JSON in
# data/bench/search.json. Usage: bench/search.sh [BUDGET=6m] [RETRAIN_EPOCHS=15] [TARGET_MS=0.45]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
budget="${1:-6m}" epochs="${2:-15}" target="${3:-0.45}"
clips="${GTZAN:-$root/../shared/data/gtzan-dev}"
[ -d "$clips" ] || { echo "bench search: $clips not found (set GTZAN=DIR)" >&2; exit 1; }
g="$root/genre" data="$root/data"
"$g" prep --input "$clips" --output "$data/datasets/gtzan-dev" >&2
profile="$data/profiles/local-int8-10.json"
[ -f "$profile" ] || "$g" profile-device --target local --precision int8 --classes 10 --output "$profile" >&2
start=$(date +%s)
for s in enas random evolution; do
  extra=(); [ "$s" = enas ] || extra=(--no-baseline)
  rm -rf "$data/runs/bench-search-$s"
  "$g" search --data "$data/datasets/gtzan-dev" --device "$profile" --target-latency-ms "$target" --strategy "$s" \
    --time-budget "$budget" --retrain-epochs "$epochs" --output "$data/runs/bench-search-$s" "${extra[@]}" >&2
done
/usr/bin/python3 - "$data" "$budget" "$epochs" "$target" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
data, budget, epochs, target, wall = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rows, baseline = [], None
for s in ["enas", "random", "evolution"]:
    c = json.load(open(f"{data}/runs/bench-search-{s}/comparison.json"))
    h = json.load(open(f"{data}/runs/bench-search-{s}/search.json"))
    w = c["winner"]
    rows.append(dict(strategy=s, passes=len(h["history"]), children=len(h["children"]), searchSeconds=round(c["searchSeconds"]),
                     bestSearchReward=max(x["reward"] for x in h["children"]), **w))
    baseline = baseline or c["baseline"]
print(f"\nsearch benchmark: GTZAN dev (100 clips, 10 genres), budget {budget} per strategy, retrain {epochs} epochs, target {target} ms, total wall {wall} s\n")
print("| model | passes | children | best reward in search | test clip acc | test segment acc | int8 latency (ms, measured) | params | reward (test seg acc) |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['strategy']} winner | {r['passes']} | {r['children']} | {r['bestSearchReward']:.3f} | {r['testClipAccuracy']:.3f} | {r['testSegmentAccuracy']:.3f} | {r['latencyMs']:.3f} | {r['params']:,} | {r['reward']:.3f} |")
b = baseline
print(f"| mobilenetv3-small | | | | {b['testClipAccuracy']:.3f} | {b['testSegmentAccuracy']:.3f} | {b['latencyMs']:.3f} | {b['params']:,} | {b['reward']:.3f} |")
json.dump(dict(format="genre-bench-search/1", budget=budget, retrainEpochs=epochs, targetMs=target, wallSeconds=wall, strategies=rows, baseline=b),
          open(f"{data}/bench/search.json", "w"), indent=1)
print(f"\nresults: {data}/bench/search.json")
PY
