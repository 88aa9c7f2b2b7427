#!/usr/bin/env bash
# The inference benchmark: the demo model over the same demo CSV through a plain TensorFlow Java
# loop and through the whole local platform (one agent per core), printing both rows/s figures,
# their ratio (target 0.90) and the conditions.
#
#   bench/run-inference-bench.sh                   # 1 GB of input, one repetition each
#   bench/run-inference-bench.sh --size 200MB      # a quick check
#   bench/run-inference-bench.sh --reps 2 --agents 2 --batch-size 1024 --check count
#
# Agent tunables pass through the environment, e.g. KILN_AGENT_PREFETCH_BATCHES=4 bench/run-...
set -o nounset -o errexit -o pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
classpath_file="bench/target/classpath.txt"

if [ ! -f "$classpath_file" ] ||
  [ -n "$(find . -path ./bench/target -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$classpath_file" -print -quit 2>/dev/null)" ]; then
  echo "bench: building (mvn package, tests skipped)..." >&2
  mvn -B -q -pl bench -am -DskipTests -Dspotless.check.skip=true package \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi

cp="bench/target/classes:$(cat "$classpath_file")"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
exec java -Xmx2g -Dorg.bytedeco.javacpp.cachedir="$root/target/javacpp" \
  -cp "$cp" dev.kiln.bench.inference.InferenceBench "$@"
