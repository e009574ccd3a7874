#!/usr/bin/env bash
# The suite's fuzz test at a larger size: ./tests/fuzz.sh [cases per kind, default 5000]. Seeded; prints the test result.
set -euo pipefail
cd "$(dirname "$0")/.."
DRDAM_FUZZ_CASES="${1:-5000}" dotnet test tests/DrDam.ML.Tests -c Release --filter "FullyQualifiedName~FuzzTests"
