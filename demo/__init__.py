"""The demo: accounts of every role, a current campaign with upcoming events, and a national history
of past campaigns (small, or at the «Таза Қазақстан» seed's scale), all appended through the ledger."""
