"""The review site of a built package (``koreasec-data report``): every article with its
evidence marked, every record with its evidence and links, contested claims and a
timeline, as static HTML that needs no network. See :mod:`koreasec_data.report.site`."""
