#!/usr/bin/env bash
# Search benchmark on the GTZAN dev clips: ENAS, random search and regularized evolution with the
# same wall-time budget, supernet, reward and device profile; each winner retrained with the same
# recipe as the MobileNetV3-Small baseline (trained once, in the ENAS run), then every winner
# compared with the baseline by song-level 5-fold cross-validation (genre bench cv --arch).
# Table on stdout, JSON in data/bench/search.json.
# Usage: bench/search.sh [BUDGET=10m] [RETRAIN_EPOCHS=20] [TARGET_MS=0.45]; CV=0 skips the cross-validation.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
budget="${1:-10m}" epochs="${2:-20}" target="${3:-0.45}"
clips="${GTZAN:-$root/../shared/data/gtzan-dev}"
[ -d "$clips" ] || { echo "bench search: $clips not found (set GTZAN=DIR)" >&2; exit 1; }
g="$root/genre" data="$root/data" dataset="$root/data/datasets/gtzan-dev-search"
# 2 validation clips per genre instead of 1: the children's rewards are accuracies on this split.
"$g" prep --input "$clips" --output "$dataset" --split 0.7,0.2,0.1 >&2
profile="$data/profiles/local-int8-10.json"
[ -f "$profile" ] || "$g" profile-device --target local --precision int8 --classes 10 --output "$profile" >&2
start=$(date +%s)
for s in enas random evolution; do
  extra=(); [ "$s" = enas ] || extra=(--no-baseline)
  rm -rf "$data/runs/bench-search-$s"
  t0=$(date +%s)
  "$g" search --data "$dataset" --device "$profile" --target-latency-ms "$target" --strategy "$s" \
    --time-budget "$budget" --retrain-epochs "$epochs" --output "$data/runs/bench-search-$s" "${extra[@]}" >&2
  echo $(( $(date +%s) - t0 )) > "$data/runs/bench-search-$s/wall-seconds"
done
searched=$(( $(date +%s) - start ))
if [ "${CV:-1}" != 0 ]; then
  for s in enas random evolution; do
    "$g" bench cv --no-peer --arch "$data/runs/bench-search-$s/best-spec.json" --epochs "$epochs" --folds 5 --seed 0 \
      --output "$data/bench/cv-search-$s.json" >&2
  done
  # The baseline's cross-validation: bench cv's default run when it used the same epochs, folds and seed.
  if ! /usr/bin/python3 -c "import json,sys; d=json.load(open('$data/bench/cv.json')); sys.exit(0 if (d['epochs'],d['folds'],d['seed'],d['djl']['arch'])==($epochs,5,0,'mobilenetv3-small') else 1)" 2>/dev/null; then
    "$g" bench cv --no-peer --epochs "$epochs" --folds 5 --seed 0 --output "$data/bench/cv.json" >&2
  fi
fi
/usr/bin/python3 - "$data" "$budget" "$epochs" "$target" "$searched" "$(( $(date +%s) - start ))" <<'PY'
import json, os, sys
data, budget, epochs, target, searched, wall = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
def cv(path):
    if not os.path.exists(path): return None
    s = json.load(open(path))["djl"]["summary"]
    return dict(clip=s["clipAccuracy"], segment=s["segmentAccuracy"], seconds=s["seconds"])
rows, baseline, reward = [], None, None
for s in ["enas", "random", "evolution"]:
    run = f"{data}/runs/bench-search-{s}"
    c, h = json.load(open(f"{run}/comparison.json")), json.load(open(f"{run}/search.json"))
    w = c["winner"]
    rows.append(dict(strategy=s, passes=len(h["history"]), children=len(h["children"]), searchSeconds=round(c["searchSeconds"]),
                     wallSeconds=int(open(f"{run}/wall-seconds").read()), workers=c.get("searchWorkers"),
                     bestSearchReward=max(x["reward"] for x in h["children"]),
                     entropy=[h["history"][0]["entropy"], h["history"][-1]["entropy"]], cv=cv(f"{data}/bench/cv-search-{s}.json"), **w))
    baseline = baseline or dict(c["baseline"], cv=cv(f"{data}/bench/cv.json"))
    reward = c["reward"]
def mnas(acc, lat):
    w = reward["alpha"] if lat <= reward["targetMs"] else reward["beta"]
    return acc * (lat / reward["targetMs"]) ** w
def cells(r):
    if not r["cv"]: return "| - | - | - "
    return f"| {r['cv']['clip']['mean']:.3f} ± {r['cv']['clip']['std']:.3f} | {r['cv']['segment']['mean']:.3f} ± {r['cv']['segment']['std']:.3f} | {mnas(r['cv']['segment']['mean'], r['latencyMs']):.3f} "
for r in rows + [baseline]:
    if r["cv"]: r["cvReward"] = mnas(r["cv"]["segment"]["mean"], r["latencyMs"])
print(f"\nsearch benchmark: GTZAN dev (100 clips, 10 genres; search split 70/20/10), budget {budget} per strategy, retrain and CV {epochs} epochs, "
      f"target {target} ms, searches {searched} s, total wall {wall} s\n")
print("| model | passes | children | search wall | best reward in search | test clip / segment acc (10 clips) | CV clip acc | CV segment acc | reward (CV segment acc) | int8 latency (ms, measured) | params |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['strategy']} winner | {r['passes']} | {r['children']} | {r['wallSeconds']} s | {r['bestSearchReward']:.3f} | {r['testClipAccuracy']:.3f} / {r['testSegmentAccuracy']:.3f} {cells(r)}| {r['latencyMs']:.3f} | {r['params']:,} |")
b = baseline
print(f"| mobilenetv3-small | | | | | {b['testClipAccuracy']:.3f} / {b['testSegmentAccuracy']:.3f} {cells(b)}| {b['latencyMs']:.3f} | {b['params']:,} |")
print("\ncontroller entropy (nats per decision, first -> last pass): " + ", ".join(f"{r['strategy']} {r['entropy'][0]:.3f} -> {r['entropy'][1]:.3f}" for r in rows if r['strategy'] == 'enas'))
json.dump(dict(format="genre-bench-search/2", budget=budget, retrainEpochs=epochs, targetMs=target, searchSeconds=searched, wallSeconds=wall,
               reward=reward, strategies=rows, baseline=b), open(f"{data}/bench/search.json", "w"), indent=1)
print(f"\nresults: {data}/bench/search.json")
PY
