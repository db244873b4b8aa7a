"""Learning from a home's own interaction logs (the integration's *export* action).

An export is a folder ``<config>/home_brain/exports/<timestamp>/`` holding ``home.yaml`` (a home
snapshot, see ``home.py``) and ``turns.jsonl`` (``turns.py``). Each distinct sentence becomes at
most one labelled example in ``dataset_io``'s format, or an item of a review list for a person:

- ``turns.py``: reading and checking the export's lines (a bad line is counted, never fatal);
- ``project.py``: an action's intent and slot values placed on the words said;
- ``tags.py``: the example Home Brain's own word tags make;
- ``learn.py``: what each sentence teaches (``learn``);
- ``review.py``: the review list and the summary a person reads.

Nothing here imports Home Assistant.
"""
