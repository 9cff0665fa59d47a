"""Load no installed plugin in this test process: the test registers the plugin module
itself, and another copy installed under the same name (this one, after ``pip install
-e``) would clash with it, as anything else installed could change the results."""

import os

os.environ["VERTAISTUKI_LOAD_PLUGINS"] = ""
