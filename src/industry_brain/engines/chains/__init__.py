"""Industrial chains (链长制): the chain catalog (catalog.py) and the chain engine."""
