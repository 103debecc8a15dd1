"""Public datasets locale-guard knows how to read, validate and convert.

Each module reads one dataset as its publisher ships it (tarball or unpacked folder), checks it
against what was published, and writes it in a form ``locale-guard check`` and ``coverage``
read directly. ``locale-guard datasets <name>`` is the command-line face of each module.
"""
