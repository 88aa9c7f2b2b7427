#!/usr/bin/env bash
# Runs the idle fleet benchmark: light agent threads speaking the agent's protocol to one Redis
# while no work is queued (Redis CPU, lease calls, PostgreSQL transactions), then how fast they
# lease when work arrives. PostgreSQL runs durable, as in production.
# Usage: bench/run-idle-fleet-bench.sh [agents=1000] [idleSeconds=10] [jobs=100]
set -o nounset -o errexit -o pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server)" >&2; exit 1; }
mvn -q -B -pl bench -am package dependency:build-classpath \
  -DskipTests -Dspotless.check.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java -Xmx2g -Xss256k -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.IdleFleetBench "$@"
