#!/usr/bin/env bash
# Layering check (DESIGN.md §7, STYLE.md rule 1): imports point down only, and each outside
# framework is imported by exactly one module. SwiftPM does not enforce this on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."

# Module -> modules it may import. Later modules are listed so adding them needs no change here.
declare -A allowed=(
  [TheodoiCore]="Foundation"
  [TheodoiCatalog]="Foundation TheodoiCore"
  [TheodoiExport]="Foundation FoundationXML TheodoiCore ZIPFoundation"
  [TheodoiForms]="Foundation"
  [TheodoiStore]="Foundation TheodoiCore TheodoiCatalog"
  [TheodoiStoreSQL]="Foundation Synchronization TheodoiCore TheodoiCatalog TheodoiStore SQLKit SQLiteKit PostgresKit PostgresNIO SQLiteNIO NIOCore NIOPosix NIOSSL Logging ServiceLifecycle"
  [TheodoiViews]="Foundation TheodoiCore Mustache"
  [TheodoiOperations]="Foundation FoundationNetworking Synchronization TheodoiCore TheodoiCatalog TheodoiStore TheodoiExport"
  [TheodoiWeb]="Foundation TheodoiCore TheodoiCatalog TheodoiStore TheodoiOperations TheodoiViews TheodoiExport Hummingbird HummingbirdAuth HummingbirdBcrypt TheodoiForms HummingbirdRouter NIOCore NIOPosix HTTPTypes Logging ServiceLifecycle Synchronization CoreMetrics Prometheus"
  [TheodoiApp]="Foundation Synchronization TheodoiCore TheodoiCatalog TheodoiStore TheodoiStoreSQL TheodoiOperations TheodoiViews TheodoiWeb TheodoiExport Configuration ServiceLifecycle UnixSignals Logging"
  [TheodoiCLI]="Foundation TheodoiCore TheodoiCatalog TheodoiStore TheodoiOperations TheodoiApp TheodoiExport ArgumentParser"
  [theodoi]="TheodoiCLI"
  [TheodoiBenchmarks]="Foundation TheodoiCore TheodoiCatalog TheodoiStore TheodoiStoreSQL TheodoiOperations"
)
# Outside frameworks and the one module that owns each. Logging, NIO types and ServiceLifecycle's
# `Service` protocol are shared plumbing: the store's PostgresClient and the web application are
# services that the app's service group runs.
declare -A owner=(
  [ArgumentParser]=TheodoiCLI
  [Mustache]=TheodoiViews
  [Hummingbird]=TheodoiWeb
  [HummingbirdAuth]=TheodoiWeb
  [HummingbirdBcrypt]=TheodoiWeb
  [SQLKit]=TheodoiStoreSQL
  [SQLiteKit]=TheodoiStoreSQL
  [PostgresKit]=TheodoiStoreSQL
  [ZIPFoundation]=TheodoiExport
  [Configuration]=TheodoiApp
  [CoreMetrics]=TheodoiWeb
  [Prometheus]=TheodoiWeb
)
test_extras="Testing XCTest Foundation SnapshotTesting HummingbirdTesting Logging NIOCore ServiceLifecycle Synchronization ZIPFoundation FoundationXML Yams"

status=0
imports_of() {
  grep -hoE '^[[:space:]]*(@testable[[:space:]]+|@_exported[[:space:]]+|public[[:space:]]+|internal[[:space:]]+|package[[:space:]]+)?import[[:space:]]+(struct[[:space:]]+|class[[:space:]]+|enum[[:space:]]+|func[[:space:]]+)?[A-Za-z_][A-Za-z0-9_]*' \
    -r "$1" --include='*.swift' | awk '{print $NF}' | sed 's/\..*//' | sort -u
}

for dir in Sources/*/; do
  module=$(basename "$dir")
  if [[ -z "${allowed[$module]+x}" ]]; then
    echo "layering: module $module is not in scripts/check-layering.sh; add it with what it may import"
    status=1
    continue
  fi
  for imported in $(imports_of "$dir"); do
    if [[ " ${allowed[$module]} " != *" $imported "* ]]; then
      echo "layering: $module imports $imported, which is not below it"
      status=1
    fi
    if [[ -n "${owner[$imported]+x}" && "${owner[$imported]}" != "$module" ]]; then
      echo "layering: $module imports $imported, which only ${owner[$imported]} may import"
      status=1
    fi
  done
done

for dir in Tests/*/; do
  suite=$(basename "$dir")
  module=${suite%Tests}
  base="${allowed[$module]-}"
  for imported in $(imports_of "$dir"); do
    # Tests may use any of theodoi's modules (an HTTP test stands up a real store) and test tools.
    if [[ "$imported" == Theodoi* || " $base $test_extras " == *" $imported "* ]]; then continue; fi
    echo "layering: test suite $suite imports $imported, which $module may not import"
    status=1
  done
done

if [[ $status -eq 0 ]]; then echo "layering: ok"; fi
exit $status
