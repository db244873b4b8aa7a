"""Targets for commands: how a command's words become the devices it acts on, and whether to.

- ``snapshot``: the exposed names, areas and floors, cached until the registries change.
- ``areas``: the one entity -> area lookup.
- ``match``: how well said words fit a name (by word, by characters, by sound), with rapidfuzz.
- ``scope``: what a command said about its reach (a name, a place, "everywhere", "all", one
  device word or several, a pronoun).
- ``values``: slot values (settings, states, colours, class words) in Home Assistant's words.
- ``lists``: to-do lists (the shopping list by name, several items said at once, items
  already listed).
- ``policy``: the safety policy over resolved calls: act, ask which, confirm, or ask where.

The resolver itself (``targets.TargetResolver``) reads slots against the registries; this
package decides what it may do with what it found.
"""
