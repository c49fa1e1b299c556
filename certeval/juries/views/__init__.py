"""Jury pages, one module per topic: thin views over certeval.juries.{permissions,selectors,services}."""
