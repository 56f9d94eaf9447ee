"""Everything written for people and scripts: the output-format registry, the report view,
Jinja and Word rendering, charts, wording, batch summaries, progress bulletins, show, diff and
the fill-in templates."""
