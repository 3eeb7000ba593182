"""Evidence, in one place: every row rests on a verbatim span of its source text.

- :mod:`~koreasec_data.compile.evidence.text`: source texts read exactly, quotes located,
  where in the article a span stands.
- :mod:`~koreasec_data.compile.evidence.items`: a record's evidence items located, or
  waiting for an article read later, and made into evidence rows.
- :mod:`~koreasec_data.compile.evidence.checks`: the evidence table checked: span lengths,
  coverage of every record, quotes against the texts at hand.
"""
