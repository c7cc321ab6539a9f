"""The backtest's two reports: report.json (the format's schema) and a self-contained HTML page.

The HTML page carries everything in the JSON plus the reliability plots, lead time and the full
subgroup table with calibration-in-the-large. It is one file: inline CSS and SVG, no script, no
external asset, readable on a phone.

report.json has the format's keys, in its order, and adds (never replacing any):
- top level: ``note`` (cross-validation), ``use_protected``, ``outcome_definition``, ``bootstrap``,
  ``inputs`` (SHA-256 of each input file), ``code_commit``, ``warnings``;
- per cut-off: ``calibration`` (intercept and slope), ``rule_comparison_ci95`` (paired intervals of
  the model-minus-rule differences), ``at_capacity`` (each school reviewing its top 30),
  ``school_only`` (the school-only baseline), ``model`` (chosen family, hyperparameters, calibration,
  validation candidates), ``model_refused`` (why no model, when so), ``roc_auc_without_protected``
  (with --use-protected) and ``oracle`` (synthetic histories with --truth);
- per subgroup: ``calibration_in_the_large`` and ``roc_auc_ci95``.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .backtest import BacktestResult, CutoffDetail

SMALL_GROUP = 5


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def write_json(report: dict, path: str | Path) -> None:
    text = json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False, default=_json_default)
    Path(path).write_text(text + "\n", encoding="utf-8")


def _num(x, digits=3) -> str:
    if x is None:
        return "–"
    return f"{x:.{digits}f}"


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _ci(pair, digits=3) -> str:
    if not pair:
        return ""
    return f'<span class="ci">[{_num(pair[0], digits)}, {_num(pair[1], digits)}]</span>'


def _verdict(ci_pair) -> str:
    if not ci_pair:
        return _("not computable")
    if ci_pair[0] > 0:
        return _("model better (interval above zero)")
    if ci_pair[1] < 0:
        return _("rule index better (interval below zero)")
    return _("no clear difference (interval includes zero)")


def reliability_svg(points: list[dict], title: str) -> str:
    """Observed dropout rate against mean predicted risk per bin; dot area follows the bin's size."""
    size, pad = 240, 34
    inner = size - 2 * pad

    def x(v):
        return pad + v * inner

    def y(v):
        return size - pad - v * inner

    total = sum(p["n"] for p in points) or 1
    parts = [
        f'<svg class="plot" viewBox="0 0 {size} {size}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="#fff" stroke="#999"/>',
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>',
    ]
    for t in (0, 0.5, 1):
        parts.append(
            f'<text x="{x(t)}" y="{size - pad + 14}" font-size="10" text-anchor="middle">{t:g}</text>'
        )
        parts.append(f'<text x="{pad - 6}" y="{y(t) + 3}" font-size="10" text-anchor="end">{t:g}</text>')
    parts.append(
        f'<text x="{size / 2}" y="{size - 4}" font-size="10" text-anchor="middle">{escape(_("predicted risk"))}</text>'
    )
    parts.append(
        f'<text x="10" y="{size / 2}" font-size="10" text-anchor="middle" '
        f'transform="rotate(-90 10 {size / 2})">{escape(_("observed dropout rate"))}</text>'
    )
    line = [(p["mean_predicted"], p["observed"]) for p in points if p["n"]]
    if len(line) > 1:
        coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in line)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>')
    for p in points:
        if p["n"]:
            r = 2 + 10 * math.sqrt(p["n"] / total)
            parts.append(
                f'<circle cx="{x(p["mean_predicted"]):.1f}" cy="{y(p["observed"]):.1f}" r="{r:.1f}" '
                f'fill="#1f5fa8" fill-opacity="0.5"><title>n={p["n"]}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body{font-family:system-ui,"Noto Sans Khmer",sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#222;line-height:1.45}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:right;white-space:nowrap}
th{white-space:normal;vertical-align:bottom;min-width:4rem}
th:first-child,td:first-child{text-align:left}
.ci{color:#666;font-size:.75rem;display:block}
.warn{background:#fff4d6;border-left:4px solid #d9a400;padding:.5rem .75rem}
.small{background:#f6f6f6;color:#777}
.plots{display:flex;flex-wrap:wrap;gap:1rem}.plots figure{margin:0;width:15rem;max-width:100%}
.plot{width:100%;height:auto}
dl{display:grid;grid-template-columns:1fr;gap:.1rem 1rem}dt{font-weight:600}dd{margin:0 0 .4rem;overflow-wrap:anywhere}
@media (min-width:40rem){dl{grid-template-columns:max-content 1fr}}
code{font-size:.8rem;word-break:break-all}
"""


def render_html(result: BacktestResult) -> str:
    report = result.report
    lang = escape(get_language() or "en")
    out = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(_('Early-warning backtest'))}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(_('Early-warning backtest'))}</h1>",
    ]
    if report["split"] == "cv":
        out.append(
            f'<p class="warn"><strong>{escape(_("Random split; optimistic."))}</strong> '
            + escape(
                _(
                    "No school year ended before the latest one started, so these figures come from "
                    "cross-validation over all students. Expect a model used on a new year to do worse."
                )
            )
            + "</p>"
        )
    out.append(_summary(report))
    out.append(_metrics_table(report))
    out.append(_rule_table(report))
    out.append(_baselines(report))
    out.append(_lead_table(result.lead_time))
    out.append(_reliability(report, result.details))
    out.append(_subgroups(report, result.details))
    out.append(_models(report))
    out.append(_inputs(report))
    out.append("</body></html>")
    return "\n".join(out)


def write_html(result: BacktestResult, path: str | Path) -> None:
    Path(path).write_text(render_html(result), encoding="utf-8")


def _summary(report) -> str:
    rows = [
        (_("Split"), _("by cohort") if report["split"] == "cohort" else _("cross-validation")),
        (_("Test cohort"), report["test_cohort"] or "–"),
        (_("Training cohorts"), ", ".join(report["train_cohorts"]) or "–"),
        (_("Sex and disability as inputs"), _("yes") if report.get("use_protected") else _("no")),
        (_("Outcome"), report.get("outcome_definition", "")),
    ]
    cells = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return f"<dl>{cells}</dl>"


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


def _metrics_table(report) -> str:
    has_oracle = any("oracle" in c for c in report["cutoffs"])
    head = [_("Cut-off (days)"), _("Students"), _("Dropouts"), _("Base rate"), _("ROC-AUC")]
    if has_oracle:
        head += [_("Oracle ROC-AUC"), _("Hidden-traits oracle ROC-AUC")]
    head += [_("PR-AUC"), _("Precision, top 10%"), _("Recall, top 20%"), _("ECE"), _("Brier")]
    head += [_("Calibration slope"), _("Calibration intercept")]
    rows = []
    for c in report["cutoffs"]:
        row = [
            str(c["cutoff_days"]),
            str(c["n"]),
            str(c["positives"]),
            _pct(c["base_rate"]),
            _num(c["roc_auc"]) + _ci(c.get("roc_auc_ci95")),
        ]
        if has_oracle:
            row.append(_num(c.get("oracle", {}).get("roc_auc")))
            row.append(_num(c.get("oracle", {}).get("roc_auc_hidden_traits")))
        line = c.get("calibration") or {}
        row += [
            _num(c["pr_auc"]) + _ci(c.get("pr_auc_ci95")),
            _num(c["precision_at_10pct"]) + _ci(c.get("precision_at_10pct_ci95")),
            _num(c["recall_at_20pct"]) + _ci(c.get("recall_at_20pct_ci95")),
            _num(c["ece"]),
            _num(c["brier"]),
            _num(line.get("slope"), 2),
            _num(line.get("intercept"), 2),
        ]
        rows.append(row)
    refused = [
        f'<p class="warn">{escape(_("Cut-off %(days)s days:") % {"days": c["cutoff_days"]})} {escape(c["model_refused"])}</p>'
        for c in report["cutoffs"]
        if c.get("model_refused")
    ]
    note = _(
        "Intervals: 2.5th–97.5th percentiles over %(n)s bootstrap resamples stratified by outcome. "
        "PR-AUC is average precision; compare it with the base rate."
    ) % {"n": report.get("bootstrap", {}).get("resamples", 1000)}
    if has_oracle:
        note += " " + _(
            "Oracle: the generator's exact probability given the same records the model sees at the "
            "cut-off, the best any model can do with them. Hidden-traits oracle: also knows each "
            "child's hidden engagement and ability, which no model can."
        )
    note = escape(note)
    return (
        f"<h2>{escape(_('Results by cut-off'))}</h2>"
        + _table(head, rows)
        + f"<p>{note}</p>"
        + "".join(refused)
    )


def _rule_table(report) -> str:
    head = [
        _("Cut-off (days)"),
        _("Rule index flag rate"),
        _("Rule index precision"),
        _("Model precision"),
        _("Rule index recall"),
        _("Model recall"),
        _("Precision difference"),
        _("Recall difference"),
        _("Verdict"),
    ]
    rows = []
    for c in report["cutoffs"]:
        r, m = c["rule_index"], c["model_at_rule_flag_rate"]
        diff = c.get("rule_comparison_ci95") or {}
        prec = (
            (m["precision"] - r["precision"])
            if m["precision"] is not None and r["precision"] is not None
            else None
        )
        rec = (m["recall"] - r["recall"]) if m["recall"] is not None and r["recall"] is not None else None
        rows.append(
            [
                str(c["cutoff_days"]),
                _pct(r["flag_rate"]),
                _num(r["precision"]),
                _num(m["precision"]),
                _num(r["recall"]),
                _num(m["recall"]),
                _num(prec) + _ci(diff.get("precision_difference")),
                _num(rec) + _ci(diff.get("recall_difference")),
                escape(_verdict(diff.get("precision_difference"))),
            ]
        )
    intro = escape(
        _(
            "The model flags as many students as the rule index does (ties broken by student id); "
            "the differences carry paired bootstrap intervals."
        )
    )
    return f"<h2>{escape(_('Model against the rule index at its flag rate'))}</h2><p>{intro}</p>" + _table(
        head, rows
    )


def _baselines(report) -> str:
    head = [
        _("Cut-off (days)"),
        _("Model ROC-AUC"),
        _("School-only ROC-AUC"),
        _("School-only precision at the rule's flag rate"),
        _("School-only recall at the rule's flag rate"),
        _("Students per school reviewed"),
        _("Precision at that capacity"),
        _("Recall at that capacity"),
    ]
    rows = []
    for c in report["cutoffs"]:
        school, cap = c.get("school_only") or {}, c.get("at_capacity") or {}
        if not school and not cap:
            continue
        rows.append(
            [
                str(c["cutoff_days"]),
                _num(c["roc_auc"]),
                _num(school.get("roc_auc")),
                _num(school.get("precision_at_rule_flag_rate")),
                _num(school.get("recall_at_rule_flag_rate")),
                str(cap.get("per_school", "–")),
                _num(cap.get("precision")),
                _num(cap.get("recall")),
            ]
        )
    if not rows:
        return ""
    intro = escape(
        _(
            "The school-only baseline scores every student with their school's dropout rate in the "
            "training data: if the model does little better, individual records add little. Capacity: "
            "each school reviews its highest-risk students, up to the number shown."
        )
    )
    return f"<h2>{escape(_('Other baselines and capacity'))}</h2><p>{intro}</p>" + _table(head, rows)


def _lead_table(lead: dict) -> str:
    head = [
        _("Method"),
        _("Dropouts during the year"),
        _("Flagged before leaving"),
        _("Share"),
        _("Median days from first flag to leaving"),
    ]
    names = {
        "model": _("Model, top 20%"),
        "model_at_rule_flag_rate": _("Model, at the rule index's flag rate"),
        "rule_index": _("Rule index"),
    }
    rows = []
    for method in ("model", "model_at_rule_flag_rate", "rule_index"):
        m = lead.get(method) or {}
        rows.append(
            [
                escape(names[method]),
                str(lead.get("dropouts", 0)),
                str(m.get("flagged_before_leaving", 0)),
                _pct(m.get("share")),
                _num(m.get("median_lead_days"), 0),
            ]
        )
    intro = escape(_("A student counts as flagged at the first cut-off where the method flagged them."))
    return f"<h2>{escape(_('Lead time'))}</h2><p>{intro}</p>" + _table(head, rows)


def _reliability(report, details: list[CutoffDetail]) -> str:
    figures = []
    for c, d in zip(report["cutoffs"], details, strict=True):
        if not d.reliability:
            continue
        title = _("Reliability at %(days)s days") % {"days": c["cutoff_days"]}
        figures.append(
            f"<figure>{reliability_svg(d.reliability, title)}<figcaption>{escape(title)} · ECE "
            f"{_num(c['ece'])}</figcaption></figure>"
        )
    intro = escape(
        _("Dots on the dashed diagonal mean that a predicted risk of 40% comes true four times in ten.")
    )
    return f'<h2>{escape(_("Reliability"))}</h2><p>{intro}</p><div class="plots">{"".join(figures)}</div>'


def _subgroups(report, details) -> str:
    head = [
        _("Attribute"),
        _("Group"),
        _("Students"),
        _("Base rate"),
        _("Flag rate"),
        _("Recall"),
        _("False-positive rate"),
        _("Precision"),
        _("ROC-AUC"),
        _("Mean predicted minus observed"),
    ]
    parts = [f"<h2>{escape(_('Subgroups'))}</h2>"]
    parts.append(
        "<p>"
        + escape(
            _(
                "Flags are the top 20%% of risk. Base rates are shown beside flag rates because different "
                "base rates justify different flag rates. Groups under %(n)s students are greyed: suppress "
                "them before sharing this report outside the organisation."
            )
            % {"n": SMALL_GROUP}
        )
        + "</p>"
    )
    for c, d in zip(report["cutoffs"], details, strict=True):
        parts.append(f"<h3>{escape(_('Cut-off %(days)s days') % {'days': c['cutoff_days']})}</h3>")
        gaps = []
        labels = {
            "roc_auc": _("ROC-AUC"),
            "recall": _("recall"),
            "calibration_in_the_large": _("mean predicted minus observed"),
        }
        for attribute, g in (d.gaps or {}).items():
            for metric, gap in g.items():
                gaps.append(
                    escape(
                        _("%(attribute)s: %(metric)s gap %(gap)s (%(low)s lowest, %(high)s highest)")
                        % {
                            "attribute": attribute,
                            "metric": labels[metric],
                            "gap": _num(gap["gap"]),
                            "low": gap["low"],
                            "high": gap["high"],
                        }
                    )
                )
        if gaps:
            parts.append("<ul>" + "".join(f"<li>{g}</li>" for g in gaps) + "</ul>")
        rows = []
        for attribute, groups in c["subgroups"].items():
            for value, g in groups.items():
                small = g["n"] < SMALL_GROUP
                cells = [
                    escape(attribute),
                    escape(value),
                    str(g["n"]),
                    _pct(g["base_rate"]),
                    _pct(g.get("flag_rate")),
                    _num(g.get("recall")),
                    _num(g.get("fpr")),
                    _num(g.get("precision")),
                    _num(g.get("roc_auc")) + _ci(g.get("roc_auc_ci95")),
                    _num(g.get("calibration_in_the_large")),
                ]
                if small:
                    cells = [f'<span class="small">{cell}</span>' for cell in cells]
                rows.append(cells)
        parts.append(_table(head, rows))
    return "".join(parts)


def _models(report) -> str:
    parts = [f"<h2>{escape(_('Models'))}</h2>"]
    head = [
        _("Cut-off (days)"),
        _("Chosen"),
        _("Calibration"),
        _("Training students"),
        _("Training dropouts"),
        _("Validation"),
        _("Candidates (validation ROC-AUC)"),
    ]
    rows = []
    for c in report["cutoffs"]:
        m = c.get("model")
        if not m:
            continue
        candidates = "<br>".join(
            escape(
                f"{k['family']} "
                + ", ".join(f"{a}={b}" for a, b in k.items() if a not in ("family", "roc_auc"))
                + f": {_num(k['roc_auc'])}"
            )
            for k in m["validation"]["candidates"]
        )
        rows.append(
            [
                str(c["cutoff_days"]),
                escape(m["family"]),
                escape(m["calibration"]),
                str(m["training_n"]),
                str(m["training_dropouts"]),
                escape(m["validation"]["method"]),
                candidates,
            ]
        )
    if any(c.get("roc_auc_without_protected") is not None for c in report["cutoffs"]):
        parts.append(
            "<p>"
            + escape(
                _("ROC-AUC without sex and disability as inputs: %(values)s")
                % {
                    "values": ", ".join(
                        f"{c['cutoff_days']}: {_num(c.get('roc_auc_without_protected'))}"
                        for c in report["cutoffs"]
                    )
                }
            )
            + "</p>"
        )
    if rows:
        parts.append(_table(head, rows))
    return "".join(parts)


def _inputs(report) -> str:
    rows = [
        [escape(name), f"<code>{escape(digest)}</code>"] for name, digest in report.get("inputs", {}).items()
    ]
    parts = [f"<h2>{escape(_('Inputs'))}</h2>", _table([_("File"), "SHA-256"], rows)]
    if report.get("code_commit"):
        parts.append(f"<p>{escape(_('Code version'))}: <code>{escape(report['code_commit'])}</code></p>")
    for warning in report.get("warnings", []):
        parts.append(f'<p class="warn">{escape(warning)}</p>')
    return "".join(parts)
