"""Local Sphinx extension for the Micro-Futures Lab book.

Two small jobs:

* ``html-page-context``: drop duplicated ``<script>`` entries (sphinx-thebe 0.3.1 registers its
  inline script twice on Sphinx 7.4, which throws "Identifier 'THEBE_JS_URL' has already been
  declared" in the browser) and point the widgets HTML manager at the locally vendored copy
  with a page-relative URL.
* ``mf-api-module`` directive: document one ``microfut_lib`` module with autodoc, listing every
  public name it defines under the flat name users call (``microfut_lib.liquidation_price``, i.e.
  ``mf.liquidation_price``), so ``{py:func}`microfut_lib.liquidation_price``` resolves and the
  reference never drifts from the code.
"""
from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import platform
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode, nested_parse_with_titles

WIDGETS_MANAGER = "html-manager/embed-amd.js"
REQUIREJS = "vendor/require.js"
# AMD modules bundled in embed-amd.js. Webpack inside each derives the folder of its fonts from
# the module's require.js URI (by default the page's own folder), so map them to the vendored
# folder, where the fonts are.
WIDGET_MODULES = ("@jupyter-widgets/base", "@jupyter-widgets/base7", "@jupyter-widgets/controls",
                  "@jupyter-widgets/controls7", "@jupyter-widgets/html-manager",
                  "@jupyter-widgets/html-manager/dist")


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for js in scripts:
        if isinstance(js, _JavaScript):
            # the same inline script is registered once with filename None, once with ""
            key = (str(js.filename or ""), tuple(sorted(js.attributes.items())))
            if str(js.filename or "").endswith(WIDGETS_MANAGER):
                attrs = dict(js.attributes)
                # The manager loads widget code (requirejs paths) relative to the page.
                attrs["data-jupyter-widgets-cdn"] = context["pathto"](
                    "vendor/html-manager/", resource=True)
                js = _JavaScript(js.filename, priority=js.priority, **attrs)
        else:
            key = (str(js),)
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
        if isinstance(js, _JavaScript) and str(js.filename or "").endswith(REQUIREJS):
            folder = context["pathto"]("vendor/html-manager", resource=True)
            # "@jupyter-widgets/controls" -> <folder>/controls.js;
            # "@jupyter-widgets/html-manager/dist/libembed-amd" -> <folder>/libembed-amd.js
            paths = ", ".join(
                f'"{m}": "{folder}"' if m.endswith("/dist") else
                f'"{m}": "{folder}/{m.rsplit("/", 1)[-1]}"' for m in WIDGET_MODULES)
            kept.append(_JavaScript("", priority=js.priority,
                                    body=f"require.config({{paths: {{{paths}}}}});"))
    context["script_files"] = kept


def _public_names(module: Any) -> list[str]:
    """``__all__`` if the module has one; else the functions and classes it defines and the
    UPPER_CASE constants assigned at its top level, in source order."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    tree = ast.parse(inspect.getsource(module))
    found = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
            found.append(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            found += [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
    return [n for n in found if not n.startswith("_")]


def _resolve_flat_names(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a short or module-qualified reference to a library object by its last name:
    ``liquidation_price`` (inside the library's docstrings) or
    ``microfut_lib.margin.liquidation_price`` finds ``microfut_lib.liquidation_price``, and
    ``EXERCISES`` finds ``microfut_lib.check.EXERCISES``, when exactly one object has that name."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "").lstrip(".~")
    module = node.get("py:module") or ""
    if not (target.startswith("microfut_lib.") or module.startswith("microfut_lib")):
        return None
    last = target.rsplit(".", 1)[-1]
    domain = env.get_domain("py")
    candidates = [name for name in domain.objects
                  if name.startswith("microfut_lib.") and name.rsplit(".", 1)[-1] == last
                  and name != target]
    if f"microfut_lib.{last}" in candidates:
        candidates = [f"microfut_lib.{last}"]
    if len(candidates) != 1:
        return None
    obj = domain.objects[candidates[0]]
    return make_refnode(app.builder, node["refdoc"], obj.docname, obj.node_id, contnode,
                        candidates[0])


def _skip_foreign_members(app: Sphinx, what: str, name: str, obj: Any, skip: bool,
                          options: Any) -> bool | None:
    """Members a class inherits from matplotlib and friends (``Figure.set`` is generated on
    every subclass) are theirs to document, not ours."""
    module = getattr(obj, "__module__", None)
    if what == "class" and isinstance(module, str) and not module.startswith("microfut_lib"):
        return True
    return None


def _data_lines(target: str, modname: str, name: str, obj: Any) -> list[str]:
    """A ``py:data`` entry: the ``#:`` doc comment if the source has one, else a summary of the
    value (autodoc would fall back to the docstring of ``dict`` or ``tuple``)."""
    owner, short = target.rsplit(".", 1)
    lines = [f".. py:data:: {short}", f"   :module: {owner}", f"   :type: {type(obj).__name__}", ""]
    doc = ModuleAnalyzer.for_module(modname).find_attr_docs().get(("", name))
    if doc:
        lines += [f"   {line}" for line in doc]
    elif isinstance(obj, dict) and all(hasattr(v, "contract_size") for v in obj.values()):
        lines += ["   The named contract specifications (key: the spec), with their sources:", "",
                  "   .. list-table::", "      :header-rows: 1", "",
                  "      * - key", "        - kind", "        - contract size",
                  "        - exchange", "        - source (as of)"]
        for key, spec in obj.items():
            size = (f"{spec.contract_size:g} {getattr(spec, 'base', '')}"
                    if spec.kind == "linear" else f"{spec.contract_size:g} USD")
            lines += [f"      * - ``{key}``", f"        - {spec.kind}", f"        - {size}",
                      f"        - {getattr(spec, 'exchange', '') or '(teaching size)'}",
                      f"        - {getattr(spec, 'source', '')} ({getattr(spec, 'as_of', '')})"]
    elif isinstance(obj, (tuple, list, str, int, float)) and len(repr(obj)) < 100:
        lines += [f"   ``{obj!r}``"]
    else:
        lines += [f"   A ``{type(obj).__name__}``; see the module's description above."]
    return lines + [""]


class ApiModule(SphinxDirective):
    """``{mf-api-module} margin``: the module's docstring, then each public name it defines.

    Names re-exported by ``microfut_lib`` are documented as ``microfut_lib.<name>``; any other
    public name as ``microfut_lib.<module>.<name>``.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        modname = f"microfut_lib.{self.arguments[0]}"
        module = importlib.import_module(modname)
        package = importlib.import_module("microfut_lib")
        # re-read this page when the module or the package's re-exports change
        for source in (inspect.getsourcefile(module), inspect.getsourcefile(package)):
            if source:
                self.env.note_dependency(source)
        # autodoc writes reStructuredText, so the generated block is wrapped in MyST's eval-rst.
        lines = ["```{eval-rst}", f".. automodule:: {modname}", "   :no-members:", ""]
        for name in _public_names(module):
            obj = getattr(module, name)
            # flat name when the package re-exports it, unless it clashes with the module's own
            # name (mf.backtest is the function, microfut_lib.backtest also the module)
            flat = getattr(package, name, None) is obj and name != self.arguments[0]
            target = f"microfut_lib.{name}" if flat else f"{modname}.{name}"
            if inspect.isclass(obj):
                lines += [f".. autoclass:: {target}", "   :members:", ""]
            elif callable(obj):
                lines += [f".. autofunction:: {target}", ""]
            else:
                lines += _data_lines(target, modname, name, obj)
        lines.append("```")
        node = nodes.section()
        node.document = self.state.document
        content = StringList(lines, source=f"<mf-api-module {modname}>")
        nested_parse_with_titles(self.state, content, node)
        return node.children


PACKAGES = ("microfut_lib", "numpy", "matplotlib", "ipywidgets", "ipykernel", "jupyter-book",
            "sphinx", "myst-nb", "sphinx-book-theme", "jupyter-cache")


class PackageVersions(SphinxDirective):
    """``{mf-package-versions}``: a table of the versions the book was built with."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = [("Python", platform.python_version())]
        for name in PACKAGES:
            try:
                rows.append((name, importlib.metadata.version(name)))
            except importlib.metadata.PackageNotFoundError:
                rows.append((name, "not installed"))
        table = nodes.table(classes=["mf-versions"])
        group = nodes.tgroup(cols=2)
        table += group
        group += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=1)]
        head = nodes.thead()
        group += head
        head += self._row(("package", "version"))
        body = nodes.tbody()
        group += body
        for row in rows:
            body += self._row(row)
        return [table]

    @staticmethod
    def _row(cells: tuple[str, str]) -> nodes.row:
        row = nodes.row()
        for text in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            row += entry
        return row


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.add_directive("mf-api-module", ApiModule)
    app.connect("missing-reference", _resolve_flat_names)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    app.add_directive("mf-package-versions", PackageVersions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
