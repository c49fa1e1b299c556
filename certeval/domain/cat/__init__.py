"""Adaptive test engine: IRT models, estimation, content-balanced CAT with exposure control, the two
test designs, placement, calibration, spaced repetition and item-bank formats (pure Python + numpy).
See docs/cat.md."""
