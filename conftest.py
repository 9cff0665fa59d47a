"""Root conftest: applies to tests/ and to each plugin's own tests under plugins/."""

import os

# Tests see only the built-in plugins, whatever happens to be installed; a test of an
# installed plugin registers it explicitly or runs a subprocess with the variable set.
os.environ["VERTAISTUKI_LOAD_PLUGINS"] = ""
