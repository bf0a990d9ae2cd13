"""Pure-Python domain rules: case lifecycle, statutory terms (Awb/Atw) and tier defaults."""
