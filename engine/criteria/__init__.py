"""Criteria sets: the format's models, rule shapes, safe expressions, safe YAML, inheritance,
the compiler that checks a set once, and the loader that finds sets on the search path."""
