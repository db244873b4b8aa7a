"""The ``python -m training`` subcommands, one module per group; ``__main__`` wires argparse.

- ``data.py``: ``generate`` and ``heldout`` (examples for a home, plus what ``--logs`` teach);
- ``train.py``: ``train`` and ``all`` (fine-tune, export, compress, report);
- ``folders.py``: ``compress`` and ``dequantize`` (an existing model folder, rewritten);
- ``scores.py``: ``evaluate`` and ``calibrate`` (a model folder, scored).
"""
