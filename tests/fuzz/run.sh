#!/usr/bin/env bash
# Runs every built libFuzzer harness for SECONDS each, one after another (the machine may have two
# cores only). Usage: tests/fuzz/run.sh [--fresh] SECONDS [HARNESS...]
#
# Corpora: build/fuzz/corpus/<name> (written: inputs that reached new coverage, kept between runs)
# after the seeds in tests/fuzz/corpus/<name> (and build/fuzz/tests/fuzz/seeds/<name> for seeds
# generated at build time). libFuzzer first runs every input of its corpora, however long that
# takes, so --fresh (make fuzz-smoke) starts from the seeds alone in build/fuzz/corpus-smoke/<name>,
# emptied first: a smoke run then lasts SECONDS, not SECONDS plus the replay of a grown corpus.
# A crash, leak, timeout, out-of-memory or failed invariant leaves the
# input in build/fuzz/artifacts/<name>/ and makes this script exit non-zero after all harnesses ran.
# Each harness's log is build/fuzz/<name>.log (<name>-smoke.log with --fresh); its stats are printed.
set -u
corpus_dir=corpus
if [ "${1:-}" = --fresh ]; then
  corpus_dir=corpus-smoke
  shift
fi
seconds=${1:?usage: run.sh [--fresh] SECONDS [HARNESS...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/fuzz/tests/fuzz
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for n in fuzz_analyzer fuzz_vectorizer fuzz_model_loader; do
    [ -x "$bin/$n" ] && names+=("$n")
  done
fi

# Any report is fatal; leaks are checked after every input (libFuzzer's -detect_leaks).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for n in "${names[@]}"; do
  [ -x "$bin/$n" ] || { echo "fuzz: $bin/$n is not built (make fuzz-build)"; failed+=("$n"); continue; }
  corpus=$root/build/fuzz/$corpus_dir/$n
  [ "$corpus_dir" = corpus-smoke ] && rm -rf "$corpus"
  artifacts=$root/build/fuzz/artifacts/$n
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  for d in "$root/tests/fuzz/corpus/$n" "$bin/seeds/$n"; do
    [ -d "$d" ] && seeds+=("$d")
  done
  dict=()
  case $n in fuzz_analyzer | fuzz_vectorizer) dict=(-dict="$root/tests/fuzz/text.dict") ;; esac
  log=$root/build/fuzz/$n${corpus_dir#corpus}.log  # fuzz_x.log, or fuzz_x-smoke.log: a smoke run
  echo "fuzz: $n for ${seconds}s (log: ${log#$root/})"  # may run beside a long one
  # -timeout: one input taking 20 s is a hang (analysis is linear); -rss_limit_mb and
  # -malloc_limit_mb: an input that makes lexsim allocate over 1.5 GB is a finding.
  timer=()  # CPU seconds into the log, for the record of how long each harness really ran
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "fuzz-cpu: %U s user, %S s system, %e s wall")
  "${timer[@]}" "$bin/$n" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|stat::peak_rss_mb|^fuzz-cpu' "$log" | awk '!seen[$0]++ { print "  " $0 }'
  if [ $rc -ne 0 ]; then
    echo "fuzz: $n FAILED (exit $rc); the input is in build/fuzz/artifacts/$n/:"
    grep -E 'ERROR|invariant violated|SUMMARY|Test unit written' "$log" | head -20 | sed 's/^/  /'
    failed+=("$n")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: findings in: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#names[@]} harnesses ran ${seconds}s each without findings"
