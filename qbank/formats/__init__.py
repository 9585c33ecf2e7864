"""The grammar of the exchange formats, shared by their importer and exporter."""
