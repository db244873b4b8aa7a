"""Home Brain side by side with Home Assistant's built-in agent, judged by the home's state.

``python -m benchmarks [FOLDER...]`` (or ``scripts/benchmark``): for each folder, build a real
``hass`` with the folder's home of simulated devices, and run every sentence through each
agent from the same starting state. A sentence passes when the home ends where handling
the expected intent directly would have left it (format A) or where the case says
(format B). Files: ``cases`` (reading suites), ``simulated_home`` (devices that change
state), ``judge`` (truth, turns and verdicts), ``report`` (JSON, Markdown, PNG).

Needs Home Assistant (a dev dependency): this is not part of the integration HACS installs.
"""
