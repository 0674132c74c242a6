#!/usr/bin/env bash
# Re-runs the benchmarks of docs/benchmarks.md on this machine and splices the tables they print
# between the <!-- table:NAME --> markers there. Raw results (CSV, JSON, PNG) land in
# docs/benchmarks/NAME/. Usage: scripts/refresh-benchmarks.sh [speed|official|stream|models|all]
# Long: `all` takes hours on 2 cores; run it in the background with its output in a file.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
shared=${GRELA_SHARED_DATA:-../shared/data}
dotnet build src/Grela.Cli -c Release -v q -nologo >/dev/null
grela=src/Grela.Cli/bin/Release/net10.0/grela
out=docs/benchmarks

# Replace the lines between <!-- table:NAME --> and <!-- /table:NAME --> with the file's content.
splice() {
  local name=$1 file=$2 doc=docs/benchmarks.md tmp
  tmp=$(mktemp)
  awk -v begin="<!-- table:$name -->" -v end="<!-- /table:$name -->" -v file="$file" '
    $0 == begin { print; while ((getline line < file) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$doc" > "$tmp"
  mv "$tmp" "$doc"
}

if [[ $what == speed || $what == all ]]; then
  # Scaling: causal RecGRELA vs SASRec at equal width (D 64), batch of 2 sequences, every position trained, 3,417 ids.
  $grela bench speed --models recgrela,sasrec --attention causal --lengths 200,1000,4000,16000 --dim 64 \
    --batch-size 2 --repeats 2 --warmup 1 --memory-budget-mb 16000 --case-timeout 240 --out $out/scaling
  splice scaling $out/scaling/speed.md
fi
if [[ $what == official || $what == all ]]; then
  # The official RecGRELA setting on ML-100K: global attention, 2,048 prefix windows of 200, 1,350 ids.
  $grela bench speed --models recgrela --attention global --lengths 200 --batch-size 2048 --items 1350 \
    --repeats 3 --warmup 1 --out $out/official
  splice official $out/official/speed.md
fi
if [[ $what == stream || $what == all ]]; then
  $grela bench stream --histories 100,1000,10000,100000 --repeats 20 --out $out/stream
  splice stream $out/stream/stream.md
fi
if [[ $what == models || $what == all ]]; then
  # Every model on ML-100K, same protocol and epoch budget.
  rows=$(mktemp)
  echo "| model | epochs (best) | test HR@10 | test NDCG@10 | test MRR@10 | s/epoch | peak RSS (MB) |" > "$rows"
  echo "|---|---:|---:|---:|---:|---:|---:|" >> "$rows"
  for m in recgrela sasrec gru4rec linrec mamba4rec; do
    # Run folders hold weights trained on a dataset that may not be redistributed: keep them out of the repo.
    run=${GRELA_BENCH_RUNS:-/tmp/grela-bench-runs}/ml-100k/$m
    rm -rf "$run"; mkdir -p "$(dirname "$run")"
    /usr/bin/time -f '%M' -o "$run.rss" $grela train --data "$shared/ml-100k/ml-100k.inter" --model $m \
      --epochs ${GRELA_BENCH_EPOCHS:-8} --patience 3 --threads 2 --out "$run" --json > "$run.json"
    rss_kb=$(tail -n 1 "$run.rss")
    python3 - "$run/metrics.json" "$m" "$rss_kb" >> "$rows" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); t = m["test"]
print(f"| {sys.argv[2]} | {m['epochs']} ({m['best_epoch']}) | {t['HR@10']:.4f} | {t['NDCG@10']:.4f} | {t['MRR@10']:.4f} | {m['seconds_per_epoch']:.1f} | {int(sys.argv[3]) / 1024:.0f} |")
PY
    pop=$run/metrics.json
  done
  python3 - "$pop" >> "$rows" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["popularity"]["test"]
print(f"| popularity | - | {t['HR@10']:.4f} | {t['NDCG@10']:.4f} | {t['MRR@10']:.4f} | - | - |")
PY
  splice models "$rows"
  rm -f "$rows"
fi
