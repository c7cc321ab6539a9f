"""The early-warning engine: pure computation, no database.

The application's tables (attendance, grades, behaviour, household facts, models, scores) are
read by ``ponleu.early_warning`` services and handed to this package as arrays; the backtest
command reads the same things from a school-history folder (FORMAT.md).

- ``bitmaps``: attendance as bit planes (``StatusPlanes.from_codes`` / ``from_records`` /
  ``with_codes``; ``codes_from_text`` for a month stored as ".PALE" letters) and ``summarise``, the
  vectorised attendance counts (rates, windows, terms, longest and current absence runs).
- ``records``: ``StudentRecords``, everything known about a group of students of one school year;
  ``from_history`` builds it from a history folder.
- ``features``: ``compute_features(records, cutoff, use_protected=False) -> FeatureFrame``, with
  only what was known on the cut-off date.
- ``rules``: ``rule_index(frame, RuleIndexSettings)`` with thresholds, weights and reasons.
- ``model``: ``train_model`` (refuses with fewer than 50 dropouts: ``NotEnoughDropouts``),
  ``TrainedModel.predict_proba``, ``dumps``/``loads``/``read_card`` (signed, with the model card).
- ``explain``: ``explain(model, frame)``, each student's top factors in plain language.
- ``metrics``: the format's metric definitions, bootstrap intervals, subgroup table.
- ``history``: ``read_history(folder)``, validating everything first (``HistoryError``).
- ``scoring``: ``score(frame, model=None, rules=None)``: risk, rule flags and reasons, top factors,
  and the review order with ties broken by student id.
- ``backtest``: ``run_backtest(history, BacktestOptions)``; ``evaluate`` (metrics and subgroup
  table of any predictions, for a model card); ``report``: report.json and HTML.
- ``synthetic`` and ``oracle``: generated histories with a known data-generating process.
"""
