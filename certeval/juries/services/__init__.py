"""Writes of juries, one module per topic. Each write is atomic and writes its audit row; refusals raise ``JuryError`` with a French message."""
