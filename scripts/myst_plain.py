"""Rewrite MyST markup that only the book understands into plain Markdown, for every place the
notebooks are read outside the book (the JupyterLite site, learner copies, slides).

* roles: ``{term}`leverage``` → *leverage*; ``{doc}`the glossary <glossary>``` → the glossary;
  ``{py:func}`mf.pnl``` → ``mf.pnl``; ``{math}`x^2``` → $x^2$; any other role keeps its text;
* directives (```` ```{note} ```` or ``:::{admonition} Title``): a quoted block with a bold title;
  ``{math}`` blocks become ``$$ … $$``; option lines (``:class: tip``) are dropped;
* ``(label)=`` targets and ``%`` comment lines are dropped.

>>> to_plain("A {term}`margin call <Margin call>` needs {py:func}`mf.initial_margin`.")
'A *margin call* needs `mf.initial_margin`.'
>>> print(to_plain(":::{note}\\nHold on.\\n:::"))
> **Note**
>
> Hold on.
"""
from __future__ import annotations

import re

ROLE = re.compile(r"\{(?P<name>[a-zA-Z][\w:+-]*)\}`(?P<body>[^`]+)`")
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:+-]+)\}\s*(?P<arg>.*)$")
FENCE_CLOSE = re.compile(r"^\s*(`{3,}|:{3,})\s*$")
OPTION = re.compile(r"^\s*:[\w-]+:.*$")
TARGET = re.compile(r"^\s*\([\w:.-]+\)=\s*$")
COMMENT = re.compile(r"^%(?!%).*$")
CODE_ROLES = ("py:", "func", "class", "meth", "mod", "attr", "data", "obj", "exc", "code",
              "literal", "file", "command", "kbd")


def _role(match: re.Match) -> str:
    name, body = match["name"], match["body"]
    explicit = re.fullmatch(r"(?s)(?P<title>.*?)\s*<(?P<target>[^<>]+)>", body)
    text = explicit["title"] if explicit and explicit["title"] else body
    if explicit and not explicit["title"]:
        text = explicit["target"]
    text = text.lstrip("~!")
    if name == "term":
        return f"*{text}*"
    if name in ("math", "eq"):
        return f"${text}$"
    if name.startswith(CODE_ROLES):
        return f"`{text}`"
    if name in ("doc", "ref", "numref") and not (explicit and explicit["title"]):
        return text.rsplit("/", 1)[-1].replace("_", " ")
    return text


CODE_BLOCK = re.compile(r"^[ \t]*(`{3,}|~{3,})(?!\{)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.M | re.S)


def roles_to_plain(text: str) -> str:
    """Rewrite the roles of ``text`` (a role may span a line break), leaving code blocks alone.

    >>> roles_to_plain("a {term}`maintenance margin\\nrate` b")
    'a *maintenance margin\\nrate* b'
    """
    out, last = [], 0
    for block in CODE_BLOCK.finditer(text):
        out += [ROLE.sub(_role, text[last:block.start()]), block.group(0)]
        last = block.end()
    return "".join(out + [ROLE.sub(_role, text[last:])])


def to_plain(text: str) -> str:
    """Plain-Markdown version of one markdown cell (see the module docstring)."""
    text = roles_to_plain(text)
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (fence, kind) of the open directives
    in_code: str | None = None
    at_block_start = False
    for line in text.split("\n"):
        prefix = "> " * sum(1 for _, kind in stack if kind == "quote")
        if in_code:
            out.append(prefix + line)
            if line.strip() == in_code:
                in_code = None
            continue
        opening = FENCE_OPEN.match(line)
        if opening:
            name, arg = opening["name"], opening["arg"].strip()
            kind = "math" if name == "math" else "quote"
            if kind == "math":
                out.append(prefix + "$$")
            else:
                title = arg or name.split(":")[-1].replace("-", " ").capitalize()
                if name == "admonition" and not arg:
                    title = "Note"
                out += [prefix + f"> **{roles_to_plain(title)}**", prefix + ">"]
            stack.append((opening["fence"], kind))
            at_block_start = True
            continue
        if stack and FENCE_CLOSE.match(line) and line.strip() == stack[-1][0]:
            _, kind = stack.pop()
            if kind == "math":
                out.append(prefix + "$$")
            at_block_start = False
            continue
        if at_block_start and OPTION.match(line):
            continue
        at_block_start = False
        if not stack and (TARGET.match(line) or COMMENT.match(line)):
            continue
        fence = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence:
            in_code = fence.group(1)
        out.append(prefix + roles_to_plain(line) if line.strip() else prefix.rstrip())
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


def notebook_to_plain(nb) -> None:
    """Rewrite every markdown cell of an nbformat notebook in place."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = to_plain(cell.source)
