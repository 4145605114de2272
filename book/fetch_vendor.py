"""Fetch the JavaScript the book needs offline into book/_vendor/vendor/ (gitignored).

Pinned npm packages are downloaded from the npm registry with Python's standard library (no
node or npm needed), checked against their published sha512 integrity, and unpacked to the few
files the pages load. Sphinx copies book/_vendor/ to the site root (html_extra_path), and
_config.yml points MathJax (mathjax_path) and the widgets manager (nb_ipywidgets_js) at it.

Usage: python book/fetch_vendor.py   (run by `make vendor`, itself a dependency of `make book`)
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")

# (name, version, sha512 integrity published by the npm registry)
PACKAGES = [
    # MathJax 3 renders the formulas (Sphinx's default loads it from a CDN)
    ("mathjax", "3.2.2",
     "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="),
    # require.js: the AMD loader the widgets manager needs (myst-nb default: 2.3.4 from cdnjs)
    ("requirejs", "2.3.8",
     "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw=="),
    # the ipywidgets 8.1 (controls 5.0) HTML manager that renders saved widget state in a page
    ("@jupyter-widgets/html-manager", "1.0.15",
     "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="),
]

HERE = Path(__file__).resolve().parent
DEST = HERE / "_vendor" / "vendor"
STAMP = DEST / "VERSIONS"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


def fetch(name: str, version: str, integrity: str) -> tarfile.TarFile:
    """Download one package tarball and check its integrity before opening it."""
    url = f"{REGISTRY}/{name}/-/{name.split('/')[-1]}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != integrity:
        raise SystemExit(f"integrity mismatch for {name}@{version}: got {got}")
    return tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")


def copy_members(archive: tarfile.TarFile, prefix: str, target: Path, keep=lambda rel: True) -> None:
    """Extract the regular files under ``prefix`` into ``target``, keeping relative paths."""
    for member in archive.getmembers():
        if not member.isfile() or not member.name.startswith(prefix):
            continue
        rel = member.name[len(prefix):].lstrip("/")
        if not rel or ".." in Path(rel).parts or not keep(rel):
            continue
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)


def main() -> int:
    want = "\n".join(f"{n}@{v} {i}" for n, v, i in PACKAGES) + "\n"
    if STAMP.is_file() and STAMP.read_text() == want:
        print("book/_vendor is up to date")
        return 0
    shutil.rmtree(HERE / "_vendor", ignore_errors=True)
    DEST.mkdir(parents=True)
    mathjax, requirejs, manager = (fetch(*p) for p in PACKAGES)

    mj = DEST / "mathjax"
    wanted = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2/", "output/chtml/fonts/tex.js",
              "input/tex/extensions/", "ui/", "a11y/", "sre/")
    copy_members(mathjax, "package/es5", mj, keep=lambda rel: rel.startswith(wanted))
    copy_members(mathjax, "package", mj, keep=lambda rel: rel == "LICENSE")
    copy_members(requirejs, "package", DEST, keep=lambda rel: rel == "require.js")
    copy_members(manager, "package/dist", DEST / "html-manager",
                 keep=lambda rel: "/" not in rel and (rel == "embed-amd.js" or rel.endswith(FONT_SUFFIXES)))
    STAMP.write_text(want)
    size = sum(f.stat().st_size for f in DEST.rglob("*") if f.is_file())
    print(f"fetched into book/_vendor: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
