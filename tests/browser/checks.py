"""What every page a journey visits must pass, as scripts run in the page.

Each function returns a list of problems (plain strings, empty when the page passes), so a
failing test names every problem at once.
"""

from __future__ import annotations

import json
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_SOURCE = (VENDOR / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PROJECT_FONT = "Ponleu Khmer"
AXE_BLOCKING = ("serious", "critical")

# Installed in every page before its own scripts: forwards Content-Security-Policy violations
# to the test (through an exposed binding, so a violation during navigation is not lost).
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  const report = {directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                  line: e.lineNumber, sample: e.sample, page: location.href};
  if (window.__ponleuCspViolation) { window.__ponleuCspViolation(report); }
}, true);
"""

_HORIZONTAL_SCROLL = """
() => {
  const width = window.innerWidth;
  const scrolling = document.scrollingElement.scrollWidth;
  if (scrolling <= width) return {scrolling, width, culprits: []};
  const inScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && !inScroller(el)) {
      culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        ' (right edge ' + Math.round(r.right) + ' px)');
    }
  }
  return {scrolling, width, culprits: culprits.slice(0, 8)};
}
"""

# Khmer text: clipped by its own box (overflow hidden, ellipsis, a fixed height), wider than
# its box, pushed past the right edge of the screen, or allowed to break inside a word.
_KHMER_TEXT = """
() => {
  const KHMER = /[\\u1780-\\u17FF\\u19E0-\\u19FF]/;
  const out = {problems: [], elements: 0, samples: []};
  const path = (el) => {
    const parts = [];
    for (; el && el !== document.documentElement; el = el.parentElement)
      parts.unshift(el.tagName.toLowerCase() + ':nth-child(' + ([...el.parentElement.children].indexOf(el) + 1) + ')');
    return 'html > ' + parts.join(' > ');
  };
  const width = window.innerWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    ' "' + el.textContent.trim().slice(0, 40) + '"';
  const scrollsX = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const clippedBy = (el) => {
    const r = el.getBoundingClientRect();
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const cs = getComputedStyle(p);
      const hidden = (v) => v === 'hidden' || v === 'clip';
      if (!hidden(cs.overflowX) && !hidden(cs.overflowY)) continue;
      const pr = p.getBoundingClientRect();
      if ((hidden(cs.overflowY) && (r.top < pr.top - 1 || r.bottom > pr.bottom + 1)) ||
          (hidden(cs.overflowX) && (r.left < pr.left - 1 || r.right > pr.right + 1))) return p;
    }
    return null;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('');
    if (!KHMER.test(own)) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right < 0 || r.bottom < 0) continue;  // moved off-screen on purpose (skip link)
    if (r.width <= 1 && r.height <= 1) continue;  // visually hidden: words for screen readers only
    out.elements += 1;
    // A few samples, main content first, whose drawn fonts the test asks Chromium for.
    if (out.samples.length < 3 || (el.closest('main') && !out.samples.some((s) => s.main)))
      out.samples.push({selector: path(el), main: !!el.closest('main')});
    if (cs.display !== 'inline') {
      if (el.scrollWidth > el.clientWidth + 1 && cs.overflowX !== 'auto' && cs.overflowX !== 'scroll')
        out.problems.push('text wider than its box: ' + describe(el) + ` (${el.scrollWidth} > ${el.clientWidth} px)`);
      const hiddenY = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
      if (hiddenY && el.scrollHeight > el.clientHeight + 1)
        out.problems.push('text cut off at the bottom: ' + describe(el));
    }
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth)
      out.problems.push('text cut with an ellipsis: ' + describe(el));
    if (cs.wordBreak === 'break-all' || cs.lineBreak === 'anywhere')
      out.problems.push('Khmer allowed to break inside words (word-break/line-break): ' + describe(el));
    if (r.right > width + 1 && !scrollsX(el))
      out.problems.push('text past the right edge of the screen: ' + describe(el));
    const clipper = clippedBy(el);
    if (clipper) out.problems.push('text clipped by ' + clipper.tagName.toLowerCase() + ': ' + describe(el));
    if (!cs.fontFamily.replace(/["']/g, '').startsWith(__FONT__))
      out.problems.push('Khmer text not set in ' + __FONT__ + ' (font-family: ' + cs.fontFamily + '): ' + describe(el));
  }
  return out;
}
""".replace("__FONT__", json.dumps(PROJECT_FONT))

_FONT_LOADED = """
async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === __FONT__);
  return {faces: faces.map((f) => f.status), check: document.fonts.check('16px ' + JSON.stringify(__FONT__), 'ពន្លឺ')};
}
""".replace("__FONT__", json.dumps(PROJECT_FONT))

_UNLABELLED = """
() => {
  const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (skip.has(el.type)) continue;
    const labels = el.labels ? [...el.labels].filter((l) => l.textContent.trim()) : [];
    if (labels.length === 0)
      out.push(el.tagName.toLowerCase() + (el.name ? '[name=' + el.name + ']' : '') + (el.id ? '#' + el.id : ''));
  }
  return out;
}
"""

_AXE_RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5), count: v.nodes.length,
  }));
}
"""


def horizontal_scroll(page) -> list[str]:
    found = page.evaluate(_HORIZONTAL_SCROLL)
    if found["scrolling"] <= found["width"]:
        return []
    culprits = "; ".join(found["culprits"]) or "no single element found"
    return [
        f"scrolls sideways: {found['scrolling']} px of content in a {found['width']} px screen ({culprits})"
    ]


def khmer_text(page, cdp, *, expect_khmer: bool) -> list[str]:
    found = page.evaluate(_KHMER_TEXT)
    problems = list(found["problems"])
    if expect_khmer and found["elements"] == 0:
        problems.append("no visible Khmer text on a page shown in Khmer")
    if found["elements"]:
        fonts = page.evaluate(_FONT_LOADED)
        if "loaded" not in fonts["faces"] or not fonts["check"]:
            problems.append(f"the {PROJECT_FONT} font is not loaded (faces: {fonts['faces']})")
        for sample in found["samples"]:
            drawn = rendered_fonts(cdp, sample["selector"])
            # The page's own font is the only custom (downloaded) one; a system Khmer font
            # would draw the text too, but with other shapes and metrics than we test with.
            if drawn and not any(f["isCustomFont"] for f in drawn):
                names = ", ".join(f["familyName"] for f in drawn)
                problems.append(f"Khmer text drawn with {names}, not {PROJECT_FONT}: {sample['selector']}")
    return problems


def rendered_fonts(cdp, selector: str) -> list[dict]:
    """The fonts Chromium actually drew an element's text with (custom = downloaded by the page)."""
    document = cdp.send("DOM.getDocument", {"depth": 0})
    node = cdp.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
    if not node.get("nodeId"):
        return []
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]


# On a phone the header and menu leave the screen to the work: the main content's first line
# starts this close to the top of the page.
CONTENT_START_PX = 120

_CONTENT_START = """() => {
  const main = document.querySelector('main');
  if (!main) return null;
  const first = main.querySelector('h1, h2, p, form, ul, ol, table, section, div') || main;
  return Math.round(first.getBoundingClientRect().top + window.scrollY);
}"""


def content_start(page, *, limit: int = CONTENT_START_PX) -> list[str]:
    top = page.evaluate(_CONTENT_START)
    if top is None:
        return ["no <main> landmark"]
    if top > limit:
        return [f"content starts {top} px from the top (at most {limit} px on a phone)"]
    return []


def unlabelled_inputs(page) -> list[str]:
    return [f"input without a <label>: {name}" for name in page.evaluate(_UNLABELLED)]


# A page re-shown with what went wrong: a form's errors or an alert in the main content.
_SHOWS_ERRORS = (
    "() => !!document.querySelector('main [role=alert], main .errorlist, main [aria-invalid=true]')"
)


def shows_errors(page) -> bool:
    return page.evaluate(_SHOWS_ERRORS)


def axe(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through DevTools, so the page's own CSP (rightly) does not apply to it.
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_AXE_RUN)


def axe_blocking(violations: list[dict]) -> list[str]:
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}) on {v['count']} element(s): {', '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in AXE_BLOCKING
    ]
