"""Industrial chains (链长制): supply-risk screening of the trade between enterprises
(docs/chains.md)."""

from industry_brain.engines.chains.contract import ChainsEngine

ENGINE = ChainsEngine()
