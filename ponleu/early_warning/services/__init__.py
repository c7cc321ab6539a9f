"""Every write of the early-warning app: checked, audited, atomic.

``scoring`` computes risk for classes, schools or a whole organisation and opens flags;
``settings`` changes the rule index and review capacity; ``training`` trains, activates and
retires risk models; ``review`` records the decision on a flag (opening a school-dropout case
for a referral); ``interventions`` edits interventions and records their outcomes;
``history_import`` loads a school-history folder into Ponleu's tables.
"""
