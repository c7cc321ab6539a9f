"""`ponleu ews`: the early-warning engine from the command line.

    ponleu ews backtest DIR [--cutoffs 0,28,56,84] [--test-cohort ID] [--out report.json]
                            [--html report.html] [--use-protected] [--truth DIR/truth.csv]
    ponleu ews generate DIR [--students N] [--cohorts K] [--seed S]
    ponleu ews import DIR --organisation SHORT_NAME [--village CODE]
    ponleu ews score [--organisation SHORT_NAME] [--date YYYY-MM-DD]

Each action is a subparser plus a ``_<action>`` method; a new action (import, score) is one more
entry in ACTIONS and one more method.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ponleu.early_warning.engine import backtest, history, oracle, report, synthetic
from ponleu.early_warning.management import app_actions


def _cutoffs(text: str) -> list[int]:
    try:
        values = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise CommandError(
            f"--cutoffs takes whole numbers of days separated by commas, not {text!r}"
        ) from None
    if not values or values[0] < 0:
        raise CommandError("--cutoffs needs at least one number of days, none negative")
    return values


def _backtest_arguments(parser):
    parser.add_argument(
        "folder", help="A school-history folder (cohorts.csv, students.csv, outcomes.csv, ...)."
    )
    parser.add_argument(
        "--cutoffs", default="0,28,56,84", help="Days after each cohort's start, e.g. 0,28,56,84."
    )
    parser.add_argument(
        "--test-cohort", default=None, help="Cohort to test on (default: the latest to start)."
    )
    parser.add_argument("--out", default="report.json", help="Where to write report.json.")
    parser.add_argument("--html", default="report.html", help="Where to write the HTML report.")
    parser.add_argument(
        "--use-protected",
        action="store_true",
        help="Use sex and disability as model inputs (AUC without them is reported too).",
    )
    parser.add_argument(
        "--truth",
        default=None,
        help="A synthetic history's truth.csv (generator.json beside it): adds the oracle AUCs.",
    )


def _generate_arguments(parser):
    parser.add_argument("folder", help="Folder to write the synthetic history into.")
    parser.add_argument("--students", type=int, default=3000, help="Student-years over all cohorts.")
    parser.add_argument("--cohorts", type=int, default=3, help="School years.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="Overwrite history files already in the folder.")


ACTIONS = {
    "backtest": (
        _backtest_arguments,
        "How well a model trained on the past would have warned (history format).",
    ),
    "generate": (
        _generate_arguments,
        "Write a synthetic school history with a known data-generating process.",
    ),
    "import": (app_actions.import_arguments, "Load a school-history folder into an organisation's tables."),
    "score": (app_actions.score_arguments, "Recompute risk for every enrolled student."),
}


def _code_commit() -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, optional
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


class Command(BaseCommand):
    help = "Early warning: `ponleu ews backtest DIR` and `ponleu ews generate DIR`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, (configure, text) in ACTIONS.items():
            configure(sub.add_parser(name, help=text, description=text))

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(options)

    def _backtest(self, options):
        cutoffs = _cutoffs(options["cutoffs"])
        try:
            data = history.read_history(options["folder"])
        except history.HistoryError as exc:
            raise CommandError(
                f"the history folder breaks the format; nothing was read or written:\n{exc.report()}"
            ) from None
        for warning in data.warnings:
            self.stderr.write(f"warning: {warning}")
        truth = oracle.read_truth(options["truth"]) if options["truth"] else None
        settings = backtest.BacktestOptions(
            cutoffs=cutoffs,
            test_cohort=options["test_cohort"],
            use_protected=options["use_protected"],
            truth=truth,
        )
        try:
            result = backtest.run_backtest(data, settings, progress=lambda m: self.stdout.write(m))
        except backtest.BacktestError as exc:
            raise CommandError(str(exc)) from None
        result.report["code_commit"] = _code_commit()
        report.write_json(result.report, options["out"])
        report.write_html(result, options["html"])
        self._summary(result)
        self.stdout.write(f"wrote {options['out']} and {options['html']}")

    def _summary(self, result):
        r = result.report
        if r["split"] == "cv":
            self.stdout.write("split: cross-validation over all students (random split; optimistic)")
        else:
            self.stdout.write(
                f"split: test cohort {r['test_cohort']}, trained on {', '.join(r['train_cohorts'])}"
            )

        def f(x):
            return "   –  " if x is None else f"{x:.3f}"

        self.stdout.write(
            "cut-off     n  dropouts  ROC-AUC [95% CI]        oracle  rule flag  rule prec  model prec"
        )
        for c in r["cutoffs"]:
            ci = c.get("roc_auc_ci95") or [None, None]
            self.stdout.write(
                f"{c['cutoff_days']:>7} {c['n']:>5} {c['positives']:>9}  {f(c['roc_auc'])} [{f(ci[0])}, {f(ci[1])}]"
                f"  {f(c.get('oracle', {}).get('roc_auc'))}  {f(c['rule_index']['flag_rate'])}"
                f"      {f(c['rule_index']['precision'])}      {f(c['model_at_rule_flag_rate']['precision'])}"
            )
            if c.get("model_refused"):
                self.stdout.write(f"         {c['model_refused']}")

    def _import(self, options):
        app_actions.run_import(self, options)

    def _score(self, options):
        app_actions.run_score(self, options)

    def _generate(self, options):
        folder = Path(options["folder"])
        existing = [n for n in (*history.REQUIRED, *history.OPTIONAL) if (folder / n).exists()]
        if existing and not options["force"]:
            raise CommandError(f"{folder} already holds {', '.join(existing)}; pass --force to overwrite")
        try:
            made = synthetic.generate_history(
                folder, students=options["students"], cohorts=options["cohorts"], seed=options["seed"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"wrote a synthetic history of {made.students} student-years in {len(made.cohorts)} cohorts "
            f"({', '.join(made.cohorts)}) to {folder}; the true risks are in {folder / 'truth.csv'} "
            f"(backtest --truth {folder / 'truth.csv'})"
        )
