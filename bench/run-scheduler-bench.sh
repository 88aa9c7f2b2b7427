#!/usr/bin/env bash
# Runs the scheduler benchmark: no-op shards leased, completed and recorded in Postgres by
# several agent threads, lease latency at light load, and submit-to-first-lease latency.
# Usage: bench/run-scheduler-bench.sh [shards] [agentThreads]
set -o nounset -o errexit -o pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server)" >&2; exit 1; }
mvn -q -B -pl bench -am package dependency:build-classpath \
  -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.SchedulerBench "$@"
