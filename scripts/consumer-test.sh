#!/usr/bin/env bash
# The packages as their users meet them (docs/packages.md): pack into a temporary feed; build a
# project outside the solution that takes Grela.Core from that feed only and declares its own
# layers; run a forward; mis-wire one width and expect the GRELA001 build error on that line;
# install the grela tool from the feed and train on the synthetic dataset.
# Prints "PASS: ..." or "FAIL: ..." per check and ends with "consumer: N passed, N failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tmp=$(mktemp -d -t grela-consumer.XXXXXX)
# A version no earlier run used, so a stale Grela.Core in the NuGet cache can never answer.
suffix="ci.$(date -u +%Y%m%d%H%M%S).$$"
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
version=""
cleanup() {
  rm -rf "$tmp"
  if [ -n "$version" ]; then rm -rf "$cache/grela.core/$version"; fi
}
trap cleanup EXIT
passed=0; failed=0
check() {   # check NAME COMMAND...: one counted check; the command's output goes to $tmp/last.log
  local name=$1; shift
  if "$@" >"$tmp/last.log" 2>&1; then
    echo "PASS: $name"; passed=$((passed + 1))
  else
    echo "FAIL: $name"; sed 's/^/    /' "$tmp/last.log" | tail -40; failed=$((failed + 1))
  fi
}
finish() { echo "consumer: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
# The first ```csharp block after a heading of a markdown page.
snippet() { awk -v h="$2" '$0 == h {f=1} f && /^```csharp/ {c=1; next} c && /^```/ {exit} c' "$1"; }

# 1. Pack (the tool's publish staging stays in $tmp).
check "pack Grela.Core and Grela.Cli into a local feed" \
  "$repo/scripts/pack.sh" "$tmp/feed" -p:VersionSuffix="$suffix"
core=$(ls "$tmp"/feed/Grela.Core.*.nupkg 2>/dev/null | grep -v snupkg | head -1)
[ -n "$core" ] || finish
version=$(basename "$core" .nupkg); version=${version#Grela.Core.}
echo "    version $version; Grela.Cli package $(du -m "$tmp/feed/Grela.Cli.$version.nupkg" | cut -f1) MB"
has_entries() { local list; list=$(unzip -l "$1") || return 1; shift
  for e in "$@"; do grep -q " $e\$" <<<"$list" || { echo "missing $e"; return 1; }; done; }
check "Grela.Core carries the generator and the buildTransitive fix" has_entries "$core" \
  analyzers/dotnet/cs/Grela.Generators.dll buildTransitive/Grela.Core.targets lib/net10.0/Grela.Core.dll

# 2. The consumer project: the feed for Grela.*, the machine's usual sources for everything else.
app="$tmp/consumer"
cp -r "$repo/tests/Consumer" "$app"
{ echo "// README.md, section 'Writing models', with the usings it needs."
  printf 'using Grela.Layers;\nusing TorchSharp;\nusing static TorchSharp.torch;\nusing static TorchSharp.torch.nn.functional;\n\nnamespace Consumer;\n\n'
  snippet "$repo/README.md" "## Writing models"; } >"$app/ReadmeMlp.cs"
{ echo "// docs/layers.md, section 'A complete example', verbatim."
  snippet "$repo/docs/layers.md" "## A complete example"; } >"$app/LayersExample.cs"
sources=$(cd "$tmp" && dotnet nuget list source --format short | awk '$1 == "E" {print $2}')
{ echo '<configuration><packageSources><clear />'
  echo "  <add key=\"grela-feed\" value=\"$tmp/feed\" />"
  i=0; for s in $sources; do i=$((i + 1)); echo "  <add key=\"source$i\" value=\"$s\" />"; done
  echo '</packageSources><packageSourceMapping>'
  echo '  <packageSource key="grela-feed"><package pattern="Grela.*" /></packageSource>'
  i=0; for s in $sources; do i=$((i + 1)); echo "  <packageSource key=\"source$i\"><package pattern=\"*\" /></packageSource>"; done
  echo '</packageSourceMapping></configuration>'; } >"$app/nuget.config"
check "consumer builds against the package" dotnet build "$app" -p:GrelaVersion="$version"
check "consumer builds its layers and runs a forward" dotnet run --project "$app" --no-build
grep -E '^(GatedBlock|Mlp|TinyEncoder)' "$tmp/last.log" | sed 's/^/    /'

# 3. One width mis-wired: `dotnet build` fails with GRELA001 on that line.
line=$(grep -n 'consumer-test: mis-wire' "$app/GatedBlock.cs" | cut -d: -f1)
sed -i "${line}s/new(Dim, Dim)/new(Dim * 2, Dim)/" "$app/GatedBlock.cs"
miswired() { ! dotnet build "$app" --no-restore -p:GrelaVersion="$version" >"$tmp/build.log" 2>&1 &&
  grep -E "GatedBlock\.cs\($line,[0-9]+\): error GRELA001" "$tmp/build.log"; }
check "a mis-wired width fails the build with GRELA001 at GatedBlock.cs line $line" miswired
grep -m1 -o "GatedBlock\.cs($line,.*error GRELA001.*" "$tmp/build.log" | sed -E 's/ \[[^]]*\.csproj\]$//; s/^/    /'

# 4. The tool, installed from the feed into a temporary tool path.
check "dotnet tool install Grela.Cli from the feed" \
  dotnet tool install Grela.Cli --tool-path "$tmp/tools" --add-source "$tmp/feed" --version "$version"
doctor() { local out; out=$("$tmp/tools/grela" doctor) || return 1; echo "$out"; grep -q 'native_libraries.*ok' <<<"$out"; }
check "installed grela doctor loads libtorch (patched libLibTorchSharp.so)" doctor
train() { (cd "$tmp" && "$tmp/tools/grela" train --epochs 1 --out "$tmp/run") && test -s "$tmp/run/metrics.json"; }
check "installed grela train on the synthetic dataset" train
finish
