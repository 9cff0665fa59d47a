"""A vertaistuki source for the relatives' association's own group spreadsheet."""
