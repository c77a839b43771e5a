#!/usr/bin/env python3
"""The release check of the plugin packages (docs/plugins.md, "Packing"): every ConfigManager.Plugin.*.nupkg in FOLDER.

Usage: plugins/check-packages.py [FOLDER] [--rids RID;RID...]   (default artifacts/packages; with --rids, every package
must have exactly those RIDs)

For each package: one runtimes/<rid>/native/<prefix>-<goos>-<goarch>[.exe] per RID, of the right file format (ELF, Mach-O, PE: the go-plugin name's OS); build/ and
buildTransitive/ <id>.props, identical, declaring per RID the path and the SHA-256 of that very binary, the RIDs the
package has, and one item for any other RID (no path: CM2006); build/ and buildTransitive/ <id>.targets; a README;
a development-dependency nuspec with no dependencies and no lib/. Prints a Markdown table (the .nupkg's size and each
binary's, and the Unix mode the zip records for it, reported only: NuGet's pack stores 0644 for every file) and exits 1
on the first package that fails a check, naming it.
"""
import argparse
import glob
import hashlib
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

GOOS = {"linux": "linux", "osx": "darwin", "win": "windows"}
GOARCH = {"x64": "amd64", "arm64": "arm64"}
BUNDLE_SIGNATURE = bytes.fromhex("8b1202b96a612038727b930214d7a03213f5b9e6efae3318ee3b2dce24b36aae")


def go_name(rid):
    os_part, arch = rid.rsplit("-", 1)
    return GOOS[os_part.split("-")[0]], GOARCH[arch]


def file_format(data):
    if data[:4] == b"\x7fELF":
        return "linux"
    if data[:4] in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf"):
        return "darwin"
    if data[:2] == b"MZ":
        return "windows"
    return "unknown"


def mib(size):
    return f"{size / (1 << 20):.1f} MiB"


def check(path, rids_expected):
    fail = lambda message: sys.exit(f"{os.path.basename(path)}: {message}")
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        nuspec_name = next((n for n in names if n.endswith(".nuspec") and "/" not in n), None) or fail("no nuspec")
        package_id = nuspec_name[: -len(".nuspec")]
        metadata = next(e for e in ET.fromstring(package.read(nuspec_name)) if e.tag.endswith("metadata"))
        field = lambda name: next((e.text for e in metadata if e.tag.endswith(name)), None)
        field("developmentDependency") == "true" or fail("not a development dependency")
        any(e.tag.endswith("dependency") for e in metadata.iter()) and fail("has dependencies")
        any(n.startswith("lib/") for n in names) and fail("has lib/ assets")
        version = field("version")

        props = {kind: package.read(f"{kind}/{package_id}.props") for kind in ("build", "buildTransitive") if f"{kind}/{package_id}.props" in names}
        len(props) == 2 or fail("no build/ and buildTransitive/ props")
        props["build"] == props["buildTransitive"] or fail("build/ and buildTransitive/ props differ")
        for kind in ("build", "buildTransitive"):
            f"{kind}/{package_id}.targets" in names or fail(f"no {kind}/{package_id}.targets")
        "README.md" in names or fail("no README.md")
        items = [e for e in ET.fromstring(props["build"]).iter() if e.tag.endswith("ConfigManagerPlugin")]
        with_path = [i for i in items if i.get("Path")]
        without = [i for i in items if not i.get("Path")]
        len(without) == 1 or fail("not exactly one item for the RIDs it lacks")
        prefix = items[0].get("Include")
        binaries = sorted(n for n in names if n.startswith("runtimes/"))
        rids = [n.split("/")[1] for n in binaries]
        for item in items:
            item.get("Include") == prefix or fail("items for two prefixes")
            item.get("PackageId") == package_id and item.get("PackageVersion") == version or fail("item names another package")
            sorted(item.get("AvailableRids").split(";")) == sorted(rids) or fail(f"AvailableRids {item.get('AvailableRids')} but binaries for {rids}")
        if rids_expected is not None and sorted(rids) != sorted(rids_expected):
            fail(f"RIDs {rids}, expected {rids_expected}")

        rows = []
        for name, rid in zip(binaries, rids):
            goos, goarch = go_name(rid)
            expected = f"runtimes/{rid}/native/{prefix}-{goos}-{goarch}{'.exe' if goos == 'windows' else ''}"
            name == expected or fail(f"{name} is not {expected}")
            info = package.getinfo(name)
            data = package.read(name)
            file_format(data) == goos or fail(f"{name} is a {file_format(data)} file")
            # Reported, not required: NuGet's pack writes every entry 0644 whatever the file's mode (NuGet/Home#13121),
            # its extraction adds u+x on Unix (NuGet/Home#6778), and the host runs a verified 0700 copy anyway.
            mode = info.external_attr >> 16
            item = [i for i in with_path if i.get("Path") == f"$(MSBuildThisFileDirectory)../{name}"]
            len(item) == 1 or fail(f"{name}: not exactly one props item declares it")
            item[0].get("Sha256") == hashlib.sha256(data).hexdigest() or fail(f"{name}: props SHA-256 is not the binary's")
            f"'{rid}'" in item[0].get("Condition") or fail(f"{name}: its item's condition does not select {rid}")
            kind = "single-file" if BUNDLE_SIGNATURE in data else "NativeAOT"
            rows.append((rid, name, len(data), info.compress_size, kind, oct(mode & 0o777) if goos != "windows" else "-"))
        len(with_path) == len(binaries) or fail("props declare a binary the package lacks")
        return package_id, version, os.path.getsize(path), rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="artifacts/packages")
    parser.add_argument("--rids")
    args = parser.parse_args()
    rids = args.rids.split(";") if args.rids else None
    packages = sorted(glob.glob(os.path.join(args.folder, "ConfigManager.Plugin.*.nupkg")))
    packages or sys.exit(f"no ConfigManager.Plugin.*.nupkg in {args.folder}")
    print("| package | .nupkg | RID | binary | size (in the .nupkg) | build | mode |")
    print("|---|---|---|---|---|---|---|")
    for path in packages:
        package_id, version, size, rows = check(path, rids)
        for i, (rid, name, length, compressed, kind, mode) in enumerate(rows):
            first = i == 0
            print(f"| {package_id + ' ' + version if first else ''} | {mib(size) if first else ''} | {rid} | "
                  f"`{name.rsplit('/', 1)[1]}` | {mib(length)} ({mib(compressed)}) | {kind} | {mode} |")
    print(f"\n{len(packages)} packages checked: layout, file formats, props, hashes.")


if __name__ == "__main__":
    main()
