"""The tool's own files (templates, CSS, fonts, interface text, the starter project).

This folder is data, shipped inside the wheel as the package ``generator.templates`` (see
``[tool.setuptools]`` in pyproject.toml) and read through ``importlib.resources``.
"""
