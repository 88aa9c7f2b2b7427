#!/usr/bin/env bash
# The API benchmark: job reads and job creates against a trivial authenticated resource on the
# same server, on the embedded stack. Options as system properties:
#   bench/run-api-bench.sh -Dbench.seconds=20 -Dbench.users=16 -Dbench.rate=1000
set -o nounset -o errexit -o pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl bench -am package dependency:build-classpath \
  -DskipTests -Dspotless.check.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java -Xmx2g "$@" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.kiln.bench.ApiBench
