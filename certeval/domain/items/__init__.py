"""Test items as data: content, answer normalisation and scoring, structural checks, YAML files."""
