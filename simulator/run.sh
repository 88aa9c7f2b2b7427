#!/usr/bin/env bash
# Runs the demand simulator and prints its tables.
#   simulator/run.sh [--seed N] [--trace FILE.csv] [--out DIR]
# --out docs rewrites docs/cost-simulation.md and its plot. Builds the module when its sources
# (or the model's) are newer than its classes.
set -o nounset -o errexit -o pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classes="$root/simulator/target/classes"
model="$root/model/target/classes"
if [ ! -d "$classes" ] || [ ! -d "$model" ] \
  || [ -n "$(find "$root/model/src/main" "$root/simulator/src/main" -newer "$classes" -print -quit)" ]; then
  echo "simulate: building (mvn compile)..." >&2
  (cd "$root" && mvn -B -q -pl simulator -am compile -Dspotless.check.skip=true >&2)
  touch "$classes"
fi
exec java -cp "$classes:$model" dev.kiln.simulator.SimulateMain "$@"
