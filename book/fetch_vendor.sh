#!/usr/bin/env bash
# Fetch the JavaScript the book needs to work offline into book/_vendor/vendor/ (gitignored):
# pinned npm packages, checked against their published sha512 integrity, unpacked to the few
# files the pages load. Sphinx copies book/_vendor/ to the site root (html_extra_path), and
# _config.yml points MathJax (mathjax_path) and the widgets manager (nb_ipywidgets_js) at it.
# Usage: book/fetch_vendor.sh   (run by `make vendor`, itself a dependency of `make book`)
set -euo pipefail

# name@version  sha512 integrity published by the npm registry
PACKAGES=(
  # MathJax 3 renders the formulas (Sphinx's default loads it from a CDN)
  "mathjax@3.2.2 sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
  # require.js: the AMD loader the widgets manager needs (myst-nb default: 2.3.4 from cdnjs)
  "requirejs@2.3.8 sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw=="
  # the ipywidgets 8.1 (controls 5.0) HTML manager that renders saved widget state in a page
  "@jupyter-widgets/html-manager@1.0.15 sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="
)

here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/_vendor/vendor"
stamp="$dest/VERSIONS"
want="$(printf '%s\n' "${PACKAGES[@]}")"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "book/_vendor is up to date"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch the book's JavaScript (apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$here/_vendor"
mkdir -p "$dest"

for entry in "${PACKAGES[@]}"; do
  spec="${entry%% *}"; integrity="${entry##* }"
  (cd "$tmp" && npm pack --silent --json "$spec" > pack.json)
  file="$(cd "$tmp" && python3 -c 'import json; print(json.load(open("pack.json"))[0]["filename"])')"
  got="sha512-$(openssl dgst -sha512 -binary "$tmp/$file" | base64 -w0)"
  if [[ "$got" != "$integrity" ]]; then
    echo "integrity mismatch for $spec: got $got" >&2; exit 1
  fi
  mkdir -p "$tmp/${file%.tgz}"
  tar xzf "$tmp/$file" -C "$tmp/${file%.tgz}"
done

mj="$tmp/mathjax-3.2.2/package/es5"
mkdir -p "$dest/mathjax/output/chtml/fonts" "$dest/mathjax/input/tex"
cp "$mj/tex-mml-chtml.js" "$dest/mathjax/"
cp -r "$mj/output/chtml/fonts/woff-v2" "$mj/output/chtml/fonts/tex.js" "$dest/mathjax/output/chtml/fonts/"
cp -r "$mj/input/tex/extensions" "$dest/mathjax/input/tex/"
cp -r "$mj/ui" "$mj/a11y" "$mj/sre" "$dest/mathjax/"
cp "$tmp/mathjax-3.2.2/package/LICENSE" "$dest/mathjax/LICENSE"

cp "$tmp/requirejs-2.3.8/package/require.js" "$dest/require.js"

hm="$tmp/jupyter-widgets-html-manager-1.0.15/package/dist"
mkdir -p "$dest/html-manager"
cp "$hm/embed-amd.js" "$dest/html-manager/"
cp "$hm"/*.woff2 "$hm"/*.woff "$hm"/*.ttf "$hm"/*.eot "$hm"/*.svg "$dest/html-manager/"

echo "$want" > "$stamp"
echo "fetched into book/_vendor: $(du -sh "$dest" | cut -f1)"
