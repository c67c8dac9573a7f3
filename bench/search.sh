#!/usr/bin/env bash
# Search benchmark on the GTZAN dev clips: ENAS, random search and regularized evolution with the
# same wall-time budget, supernet, reward and device profile; each winner retrained with the same
# recipe as the MobileNetV3-Small baseline (trained once, in the ENAS run); every winner and the
# baseline compared by song-level 5-fold cross-validation (genre bench cv --arch) and by int8
# latency re-measured in interleaved rounds (this VM's speed drifts within minutes).
# Table on stdout, JSON in data/bench/search.json.
#
# Usage: bench/search.sh [BUDGET=10m] [RETRAIN_EPOCHS=20] [TARGET_MS=0.45]
#   Resumable: a finished stage (a strategy's run, a winner's cross-validation) is kept, an
#   interrupted search is resumed; FRESH=1 starts over. CV=0 skips the cross-validation.
#   TAG=60m keeps this benchmark's runs and results apart (data/runs/bench-search-60m-*,
#   data/bench/search-60m.json); STAGES="enas" runs only the named strategies' searches this time
#   (a long benchmark can be spread over several sittings; the table waits for all three).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
budget="${1:-10m}" epochs="${2:-20}" target="${3:-0.45}"
clips="${GTZAN:-$root/../shared/data/gtzan-dev}"
[ -d "$clips" ] || { echo "bench search: $clips not found (set GTZAN=DIR)" >&2; exit 1; }
g="$root/genre" data="$root/data" dataset="$root/data/datasets/gtzan-dev-search"
strategies=(enas random evolution)
tag="${TAG:+-$TAG}"
read -r -a stages <<< "${STAGES:-${strategies[*]}}"
[ "${FRESH:-0}" = 1 ] && for s in "${strategies[@]}"; do rm -rf "$data/runs/bench-search$tag-$s" "$data/bench/cv-search$tag-$s.json"; done
# 2 validation clips per genre instead of 1: the children's rewards are accuracies on this split.
"$g" prep --input "$clips" --output "$dataset" --split 0.7,0.2,0.1 >&2
profile="$data/profiles/local-int8-10.json"
[ -f "$profile" ] || "$g" profile-device --target local --precision int8 --classes 10 --output "$profile" >&2

for s in "${stages[@]}"; do
  run="$data/runs/bench-search$tag-$s"
  [ -f "$run/comparison.json" ] && continue
  t0=$(date +%s)
  if [ -f "$run/pipeline.json" ]; then
    "$g" search --resume "$run" >&2
  else
    extra=(); [ "$s" = enas ] || extra=(--no-baseline)
    rm -rf "$run"
    "$g" search --data "$dataset" --device "$profile" --target-latency-ms "$target" --strategy "$s" \
      --time-budget "$budget" --retrain-epochs "$epochs" --output "$run" "${extra[@]}" >&2
  fi
  echo $(( $(date +%s) - t0 + $(cat "$run/wall-seconds" 2>/dev/null || echo 0) )) > "$run/wall-seconds"
done
for s in "${strategies[@]}"; do
  [ -f "$data/runs/bench-search$tag-$s/comparison.json" ] || { echo "bench search: $s not searched yet (STAGES=$s bench/search.sh ...)" >&2; exit 0; }
done

if [ "${CV:-1}" != 0 ]; then
  for s in "${strategies[@]}"; do
    out="$data/bench/cv-search$tag-$s.json"
    [ "$out" -nt "$data/runs/bench-search$tag-$s/best-spec.json" ] && continue
    "$g" bench cv --no-peer --arch "$data/runs/bench-search$tag-$s/best-spec.json" --epochs "$epochs" --folds 5 --seed 0 --output "$out" >&2
  done
  # The baseline's cross-validation by the same command (and trainer) as the winners'; delete the file after a trainer change.
  base="$data/bench/cv-search-baseline.json"
  [ -f "$base" ] || "$g" bench cv --no-peer --epochs "$epochs" --folds 5 --seed 0 --output "$base" >&2
fi

# int8 latency of the four packages, 3 interleaved rounds of 500 runs each on one thread.
lat="$data/bench/search$tag-latency"
rm -rf "$lat" && mkdir -p "$lat"
for round in 1 2 3; do
  for m in enas random evolution baseline; do
    pkg="$data/runs/bench-search$tag-$m/package"; [ "$m" = baseline ] && pkg="$data/runs/bench-search$tag-enas/baseline-package"
    "$g" measure --model "$pkg/model-int8.onnx" --threads 1 --runs 500 --warmup 50 --output "$lat/$m-$round.json" > /dev/null
  done
done

/usr/bin/python3 - "$data" "$budget" "$epochs" "$target" "$tag" <<'PY'
import collections, json, os, statistics, sys
data, budget, epochs, target, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
def cv(path):
    if not os.path.exists(path): return None
    s = json.load(open(path))["djl"]["summary"]
    return dict(clip=s["clipAccuracy"], segment=s["segmentAccuracy"], seconds=s["seconds"])
def latency(m):
    p50 = [json.load(open(f"{data}/bench/search{tag}-latency/{m}-{r}.json"))["latencyMs"]["p50"] for r in (1, 2, 3)]
    return statistics.median(p50), p50
def passes(h):
    by = collections.defaultdict(list)
    for c in h["children"]: by[c["epoch"]].append(c["accuracy"])
    e = sorted(by)
    mean = lambda eps: statistics.mean(a for x in eps for a in by[x])
    return round(mean(e[:3]), 4), round(mean(e[-3:]), 4)
rows, baseline, reward = [], None, None
for s in ["enas", "random", "evolution"]:
    run = f"{data}/runs/bench-search{tag}-{s}"
    c, h = json.load(open(f"{run}/comparison.json")), json.load(open(f"{run}/search.json"))
    med, p50s = latency(s)
    rows.append(dict(strategy=s, passes=len(h["history"]), children=len(h["children"]), searchSeconds=round(c["searchSeconds"]),
                     wallSeconds=int(open(f"{run}/wall-seconds").read()), workers=c.get("searchWorkers"),
                     bestSearchReward=max(x["reward"] for x in h["children"]), childAccuracyFirstLast3=passes(h),
                     entropy=[h["history"][0]["entropy"], h["history"][-1]["entropy"]], cv=cv(f"{data}/bench/cv-search{tag}-{s}.json"),
                     latencyMsRemeasured=med, latencyRounds=p50s, **c["winner"]))
    if baseline is None:
        med, p50s = latency("baseline")
        baseline = dict(c["baseline"], cv=cv(f"{data}/bench/cv-search-baseline.json"), latencyMsRemeasured=med, latencyRounds=p50s)
    reward = c["reward"]
def mnas(acc, lat):
    w = reward["alpha"] if lat <= reward["targetMs"] else reward["beta"]
    return acc * (lat / reward["targetMs"]) ** w
for r in rows + [baseline]:
    if r["cv"]: r["cvReward"] = mnas(r["cv"]["segment"]["mean"], r["latencyMsRemeasured"])
def cells(r):
    if not r["cv"]: return "| - | - | - "
    return (f"| {r['cv']['clip']['mean']:.3f} ± {r['cv']['clip']['std']:.3f} | {r['cv']['segment']['mean']:.3f} ± {r['cv']['segment']['std']:.3f} "
            f"| **{r['cvReward']:.3f}** ")
wall = sum(r["wallSeconds"] for r in rows)
print(f"\nsearch benchmark: GTZAN dev (100 clips, 10 genres; search split 70/20/10), budget {budget} per strategy, retrain and CV {epochs} epochs, "
      f"target {target} ms, reward {reward}; searches + retraining {wall} s on 2 cores\n")
print("| model | passes (workers) | wall | child acc, first -> last 3 passes | best reward in search | test clip / segment (10 clips) | CV clip acc | CV segment acc | reward (CV segment acc) | int8 latency, ms | params |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    a, b = r["childAccuracyFirstLast3"]
    print(f"| {r['strategy']} winner | {r['passes']} ({r['workers']}) | {r['wallSeconds']} s | {a:.3f} -> {b:.3f} | {r['bestSearchReward']:.3f} "
          f"| {r['testClipAccuracy']:.3f} / {r['testSegmentAccuracy']:.3f} {cells(r)}| {r['latencyMsRemeasured']:.3f} | {r['params']:,} |")
b = baseline
print(f"| mobilenetv3-small | | | | | {b['testClipAccuracy']:.3f} / {b['testSegmentAccuracy']:.3f} {cells(b)}| {b['latencyMsRemeasured']:.3f} | {b['params']:,} |")
e = rows[0]["entropy"]
print(f"\nENAS controller entropy (nats per decision): {float(e[0]):.4f} after pass 1 -> {float(e[1]):.4f} after pass {rows[0]['passes']}")
print("int8 latency: median over 3 interleaved rounds of the p50 of 500 runs, 1 thread (ms): "
      + ", ".join(f"{r.get('strategy', 'baseline')} {r['latencyRounds']}" for r in rows + [baseline]))
json.dump(dict(format="genre-bench-search/2", budget=budget, retrainEpochs=epochs, targetMs=target, wallSeconds=wall, reward=reward,
               strategies=rows, baseline=b), open(f"{data}/bench/search{tag}.json", "w"), indent=1)
print(f"\nresults: {data}/bench/search{tag}.json")
PY
