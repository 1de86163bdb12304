#!/usr/bin/env bash
# Trains the bundled default models from simulated portfolios with fixed seeds and writes the
# bundles (models/src/main/resources/io/chainscore/models/) and model cards (models/<name>/).
# Same seeds, same bytes: rerunning leaves git with nothing to commit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -pl cli -am package -DskipTests
java -Xmx4g -cp cli/target/chainscore.jar io.chainscore.develop.pipeline.TrainDefaultModels "$root"
