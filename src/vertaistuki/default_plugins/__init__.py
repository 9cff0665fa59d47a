"""Built-in plugins: vertaistuki's own sources, renderers and vocabularies, registered
through the same hooks as any installed plugin."""
