"""An entity's data: the one entity record, the one cell reader, and the sources (yaml, csv,
xlsx) that read files into records."""
