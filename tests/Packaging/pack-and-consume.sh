#!/usr/bin/env bash
# Packaging test: packs src/MiniNet (and src/MiniNet.Onnx) into a local folder feed, checks the packages' contents and metadata, then
# restores and runs a fresh console project (XorConsumer) that references the *package* and trains XOR with it.
# Isolated and offline-safe: the consumer gets its own NuGet.config (<clear/>: only the local feed, for MiniNet,
# and the machine's global packages folder, for System.Numerics.Tensors, which packing MiniNet restores there) and
# its own empty packages folder, so it cannot pick up a stale MiniNet or the project. Prints "PACKAGING OK" and
# exits 0 on success; on failure says which check failed and exits 1.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "PACKAGING FAILED: $*" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== dotnet pack -c Release src/MiniNet -> local feed"
dotnet pack "$repo/src/MiniNet" -c Release -o "$work/feed" -nologo -v quiet || fail "dotnet pack failed"
nupkg="$(find "$work/feed" -name 'MiniNet.*.nupkg' ! -name '*.snupkg' | head -n 1)"
[ -n "$nupkg" ] || fail "no MiniNet.<version>.nupkg in the feed"
version="$(basename "$nupkg" .nupkg)"; version="${version#MiniNet.}"
[ -f "$work/feed/MiniNet.$version.snupkg" ] || fail "no MiniNet.$version.snupkg beside the package"

python3 - "$nupkg" "$version" <<'PY' || fail "package contents or metadata"
import re, sys, zipfile, xml.etree.ElementTree as ET
path, version = sys.argv[1], sys.argv[2]
if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
    sys.exit(f"version '{version}' is not SemVer")
z = zipfile.ZipFile(path)
names = set(z.namelist())
for required in ("lib/net10.0/MiniNet.dll", "lib/net10.0/MiniNet.xml", "README.md"):
    if required not in names:
        sys.exit(f"{required} missing from the package")
meta = ET.fromstring(z.read("MiniNet.nuspec")).find("{*}metadata")
get = lambda tag: meta.find("{*}" + tag)
checks = {
    "id": get("id") is not None and get("id").text == "MiniNet",
    "version": get("version") is not None and get("version").text == version,
    "description": get("description") is not None and len(get("description").text or "") > 20,
    "tags": get("tags") is not None and "autodiff" in (get("tags").text or ""),
    "license expression MIT": get("license") is not None and get("license").get("type") == "expression" and get("license").text == "MIT",
    "readme": get("readme") is not None and get("readme").text == "README.md",
    "repository": get("repository") is not None and get("repository").get("type") == "git",
}
bad = [k for k, ok in checks.items() if not ok]
if bad:
    sys.exit("nuspec lacks: " + ", ".join(bad))
deps = [d.get("id") for d in meta.findall(".//{*}dependency")]
if deps != ["System.Numerics.Tensors"]:
    sys.exit(f"unexpected dependencies {deps}")
print(f"   package MiniNet {version}: dll, xml docs, README, MIT expression, repository, deps {deps}")
PY

echo "== dotnet pack -c Release src/MiniNet.Onnx -> local feed"
dotnet pack "$repo/src/MiniNet.Onnx" -c Release -o "$work/feed" -nologo -v quiet || fail "dotnet pack of MiniNet.Onnx failed"
onnx="$(find "$work/feed" -name 'MiniNet.Onnx.*.nupkg' ! -name '*.snupkg' | head -n 1)"
[ -n "$onnx" ] || fail "no MiniNet.Onnx.<version>.nupkg in the feed"
python3 - "$onnx" "$version" <<'PY' || fail "MiniNet.Onnx package contents or metadata"
import sys, zipfile, xml.etree.ElementTree as ET
path, core = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
names = set(z.namelist())
for required in ("lib/net10.0/MiniNet.Onnx.dll", "lib/net10.0/MiniNet.Onnx.xml", "README.md"):
    if required not in names:
        sys.exit(f"{required} missing from the MiniNet.Onnx package")
if any(n.startswith("lib/") and n.endswith("/MiniNet.dll") for n in names):
    sys.exit("MiniNet.Onnx carries its own copy of MiniNet.dll")
meta = ET.fromstring(z.read("MiniNet.Onnx.nuspec")).find("{*}metadata")
lic = meta.find("{*}license")
if lic is None or lic.text != "MIT":
    sys.exit("MiniNet.Onnx has no MIT licence expression")
deps = {d.get("id"): d.get("version") for d in meta.findall(".//{*}dependency")}
if set(deps) != {"MiniNet"} or not (deps["MiniNet"] or "").strip("[]()").startswith(core):
    sys.exit(f"MiniNet.Onnx should depend on MiniNet {core} only (no protobuf, no ONNX Runtime), got {deps}")
print(f"   package {path.rsplit('/', 1)[-1]}: dll, xml docs, README, MIT, deps {deps}")
PY

echo "== fresh console project referencing the package"
cache="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
[ -d "$cache/system.numerics.tensors" ] || fail "System.Numerics.Tensors is not in the global packages folder $cache"
mkdir "$work/app"
cp "$repo/tests/Packaging/XorConsumer/XorConsumer.csproj" "$repo/tests/Packaging/XorConsumer/Program.cs" "$work/app/"
cat > "$work/app/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local-feed" value="$work/feed" />
    <add key="machine-cache" value="$cache" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local-feed"><package pattern="MiniNet" /></packageSource>
    <packageSource key="machine-cache"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
props=(-p:MiniNetVersion="$version" -p:ImportDirectoryBuildProps=false -p:ImportDirectoryPackagesProps=false)
dotnet restore "$work/app" --configfile "$work/app/NuGet.config" --packages "$work/packages" "${props[@]}" -nologo -v quiet \
  || fail "restore of the consumer from the local feed"
[ -f "$work/packages/mininet/$version/mininet.$version.nupkg" ] || fail "MiniNet $version was not restored from the feed"
cmp -s "$nupkg" "$work/packages/mininet/$version/mininet.$version.nupkg" || fail "restored MiniNet differs from the packed one"
dotnet build "$work/app" -c Release --no-restore "${props[@]}" -nologo -v quiet || fail "build of the consumer"
out="$(dotnet "$work/app/bin/Release/net10.0/XorConsumer.dll")" || { echo "$out"; fail "the consumer did not learn XOR"; }
echo "$out" | sed 's/^/   /'
echo "$out" | grep -q "^XOR OK$" || fail "no 'XOR OK' line"
echo "PACKAGING OK"
