"""Markdown reporter: content and order of the PR summary, caps, and that no AWS string can inject markup.

Rendered with markdown-it-py's GitHub-like preset (tables, strikethrough, linkify) to check what a
reader would see: hostile strings end up inside code spans in intact table rows, and form no link,
image, HTML, emphasis or autolink.
"""

from __future__ import annotations

import io
import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from assay.engine import Evaluation
from assay.models.findings import Status
from assay.reporters import get
from assay.reporters import markdown as md_module
from tests.reporters.test_html import ACCOUNT, XSS, estate, inventory, key, run, xss_estate

HOSTILE = [
    *XSS,
    "[click](https://evil.example)", "![img](https://evil.example/x.png)", "<img src=x onerror=alert(1)>",
    "a|b|c", "```", "`code` ``two``", "**bold** _it_ ~~strike~~", "line\nbreak | row\r\n| x | y |",
    "@attacker please review", "#1 www.evil.example", "https://evil.example/path", "&lt;script&gt; &amp;",
    "\\|\\", " lead and trail ", "\u202eevil\u200b", "<!-- hidden -->", "<details><summary>x", ":+1: `",
    "x" * 500,
]
FRAGMENTS = ["evil.example", "alert(1)", "@attacker", "onerror", "<details>", "hidden", "strike", "javascript"]


def parser() -> MarkdownIt:
    return MarkdownIt("gfm-like")


def md_of(ev: Evaluation) -> str:
    out = io.StringIO()
    get("markdown").write(ev, out)
    return out.getvalue()


def flat(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        out.append(t)
        if t.children:
            out += flat(t.children)
    return out


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Each table as rows of cells (the inline token of each cell)."""
    out: list[list[list[Token]]] = []
    rows: list[list[Token]] = []
    row: list[Token] = []
    for n, t in enumerate(tokens):
        if t.type == "table_open":
            rows = []
        elif t.type == "tr_open":
            row = []
        elif t.type in ("th_open", "td_open"):
            row.append(tokens[n + 1])
        elif t.type == "tr_close":
            rows.append(row)
        elif t.type == "table_close":
            out.append(rows)
    return out


def shown(value: str, limit: int = md_module.MAX_VALUE) -> str:
    """What a code span shows for an AWS string."""
    text = re.sub(r"\r\n|[\r\n]", " ", value)
    text = re.sub("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]",
                  lambda m: f"[U+{ord(m.group()):04X}]", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_registered() -> None:
    rep = get("markdown")
    assert rep.name == "markdown" and rep.extension == "md"


def test_state_comes_first_then_counts() -> None:
    partial = md_of(run(inventory(estate(), partial=True)))
    first = partial.splitlines()[0]
    assert first == "## Assay SOC 2 test framework scan: PARTIAL, coverage 50.0%"
    assert "never as compliant" in partial.split("| Findings")[0]
    complete = md_of(run(inventory(estate())))
    assert complete.splitlines()[0] == "## Assay SOC 2 test framework scan: COMPLETE, coverage 100.0%"
    assert "Partial scan" not in complete


def test_counts_criteria_controls_and_errors() -> None:
    ev = run(inventory(estate(), partial=True))
    text = md_of(ev)
    tokens = parser().parse(text)
    tbls = tables(tokens)
    findings = [c.content for c in tbls[0][1]]
    counts = ev.counts()
    assert findings == [str(len(ev.findings)), str(counts["fail"]), str(counts["error"]), str(counts["pass"]),
                        str(counts["skip"])]
    criteria_rows = {r[0].content: r[2].content for t in tbls for r in t[1:] if t[0][0].content == "Criterion"}
    assert criteria_rows == {"CC6.1": "FAIL", "CC6.7": "ERROR"}
    order = [line for line in text.splitlines() if line.startswith("### ")]
    assert order == ["### Failing criteria", "### Top failing controls", "### Could not evaluate",
                     "### Collection errors (1)"]
    # the worst control first: critical before medium
    heads = [line for line in text.splitlines() if line.startswith("**") and "failing resource" in line]
    assert heads[0].startswith("**1. CRITICAL** `kms.key_policy_not_public`")
    assert "`fail-public-policy` `arn:aws:kms:us-east-1:123456789012:key/k-public`" in text
    assert "User is not authorized to perform kms:ListKeys" in text


def test_clean_scan_says_so() -> None:
    text = md_of(run(inventory([key("k-pass", name="pass-rotating")])))
    assert "No control fails." in text and "No criterion with automated evidence fails" in text
    assert "Could not evaluate" not in text and "Collection errors" not in text


def test_resources_and_controls_are_capped() -> None:
    keys = [key(f"k{n}", name=f"fail-{n}", rotation_enabled=False) for n in range(8)]
    ev = run(inventory(keys))
    text = md_of(ev)
    assert "*…and 3 more failing resources*" in text
    assert text.count("`fail-") == md_module.MAX_RESOURCES * 1 + 0  # one control fails for these keys
    # twelve failing controls: ten shown
    fail = next(f for f in ev.findings if f.status is Status.FAIL)
    many = [fail.model_copy(update={"control_id": f"svc.control_{n:02}", "id": f"id{n}"}) for n in range(12)]
    synthetic = Evaluation(ev.inventory, ev.framework, ev.controls, many, ev.criteria)
    text = md_of(synthetic)
    assert len(re.findall(r"^\*\*\d+\. ", text, flags=re.M)) == md_module.MAX_CONTROLS
    assert "*…and 2 more failing controls*" in text


def test_long_output_is_cut_at_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    ev = run(inventory(xss_estate(), partial=True, hostile=True))
    monkeypatch.setattr(md_module, "MAX_CHARS", 1500)
    text = md_of(ev)
    assert len(text) <= 1500
    assert text.endswith("*…summary cut to fit a comment: see the full report.*\n")


def test_fits_a_github_comment() -> None:
    keys = [key(f"k{n}", name=("\U0001f600|`" * 400) + str(n), rotation_enabled=False, policy={
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}) for n in range(300)]
    text = md_of(run(inventory(keys, partial=True, hostile=True)))
    assert len(text) < 65_536


# -- untrusted strings --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> tuple[str, list[Token]]:
    keys = xss_estate() + [
        key(f"h{n}", name=p, arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{p}", rotation_enabled=False)
        for n, p in enumerate(HOSTILE)
    ]
    ev = run(inventory(keys, partial=True, hostile=True))
    with pytest.MonkeyPatch.context() as mp:  # show every row, so that every payload is checked
        mp.setattr(md_module, "MAX_RESOURCES", 1000)
        mp.setattr(md_module, "MAX_ERRORS", 1000)
        text = md_of(ev)
    return text, parser().parse(text)


def test_no_links_images_html_or_strikethrough(hostile: tuple[str, list[Token]]) -> None:
    text, tokens = hostile
    kinds = {t.type for t in flat(tokens)}
    for forbidden in ("link_open", "image", "html_inline", "html_block", "s_open", "fence", "code_block"):
        assert forbidden not in kinds, forbidden
    html = parser().render(text)
    for tag in ("<a ", "<img", "<script", "<details", "<svg", "<del", "<s>"):
        assert tag not in html, tag


def test_tables_keep_their_shape(hostile: tuple[str, list[Token]]) -> None:
    text, tokens = hostile
    tbls = tables(tokens)
    assert len(tbls) >= 6
    for table in tbls:
        assert len({len(row) for row in table}) == 1, [[c.content for c in row] for row in table]
    for line in text.splitlines():  # AWS strings only ever in table rows
        if any(fragment in line for fragment in FRAGMENTS):
            assert line.startswith("| ") and line.endswith(" |"), line


def test_hostile_strings_are_inside_code_spans(hostile: tuple[str, list[Token]]) -> None:
    _, tokens = hostile
    spans = [t.content for t in flat(tokens) if t.type == "code_inline"]
    joined = "\n".join(spans)
    for payload in HOSTILE:
        if payload.strip():
            assert shown(payload) in spans or shown(payload).strip() in spans, payload
    for payload in XSS:
        assert payload in joined  # the hostile account, region and error strings too
    outside = " ".join(t.content for t in flat(tokens) if t.type == "text")
    for fragment in FRAGMENTS:
        assert fragment not in outside, fragment  # mentions, autolinks and markup never in plain text
    assert "\u202e" not in joined and "[U+202E]evil[U+200B]" in joined


def test_code_and_escape_helpers() -> None:
    assert md_module.code("plain") == "`plain`"
    assert md_module.code("a`b") == "``a`b``"
    assert md_module.code("`x`") == "`` `x` ``"
    assert md_module.code("a|b") == "`a\\|b`"
    assert md_module.code("two\nlines") == "`two lines`"
    assert md_module.code("") == "*(empty)*"
    assert md_module.code("y" * 300).endswith("…`") and len(md_module.code("y" * 300)) == md_module.MAX_VALUE + 2
    assert md_module.escape("a_b*c [d](e) <f> |g| ~h~ &i; `j` #k !l") == (
        "a\\_b\\*c \\[d\\](e) \\<f\\> \\|g\\| \\~h\\~ \\&i; \\`j\\` \\#k \\!l")
    # for Assay's own text only: AWS strings go through code(), which also stops autolinks
    rendered = parser().render(md_module.escape("[x](evil) <b>bold</b> *em* _u_ ~~s~~"))
    for tag in ("<a ", "<b>", "<em>", "<s>"):
        assert tag not in rendered


def test_output_is_deterministic() -> None:
    inv = inventory(estate(), partial=True)
    assert md_of(run(inv)) == md_of(run(inv))
