#!/usr/bin/env bash
# Runs the scheduler benchmark: no-op shards leased, completed and recorded in Postgres by
# several agent threads, lease latency at light load, and submit-to-first-lease latency.
# PostgreSQL runs durable (fsync and synchronous_commit on), as in production.
# Usage: bench/run-scheduler-bench.sh [-Dbench.alsoFast=true] [-Dbench.durable=false] [shards] [agentThreads]
set -o nounset -o errexit -o pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server)" >&2; exit 1; }
java_options=()
while [ $# -gt 0 ] && [[ $1 == -D* ]]; do
  java_options+=("$1")
  shift
done
mvn -q -B -pl bench -am package dependency:build-classpath \
  -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java -Xmx2g "${java_options[@]}" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.SchedulerBench "$@"
