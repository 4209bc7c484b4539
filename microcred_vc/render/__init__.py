"""A credential as a page a person can read, print and scan."""

from microcred_vc.render.html import element_rows, render_html

__all__ = ["element_rows", "render_html"]
