#!/usr/bin/env bash
# Packs every package of the solution (Grela.Core with its symbols, the Grela.Cli tool) in Release.
# Usage: scripts/pack.sh [OUT_DIR] [dotnet pack options]    OUT_DIR defaults to artifacts/packages
#   scripts/pack.sh artifacts/packages -p:VersionSuffix=preview.1   -> 1.0.0-preview.1
# The version itself is VersionPrefix in Directory.Build.props.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/packages}
shift $(( $# > 0 ? 1 : 0 ))
mkdir -p "$out"
# The tool's publish step is only pack's staging: keep it out of bin/.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ContinuousIntegrationBuild: deterministic paths (/_/) in the packaged pdbs.
dotnet pack Grela.slnx -c Release -o "$out" -p:PublishDir="$staging/" -p:ContinuousIntegrationBuild=true "$@"
ls -l "$out"
