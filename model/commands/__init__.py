"""Sub-commands of ``mfgbase`` (``model.cli`` registers them): each module has ``register(subparsers)``.

The top floor: commands glue a study (``model.studies``) to its writer (``model.outputs``);
nothing below imports them.
"""
