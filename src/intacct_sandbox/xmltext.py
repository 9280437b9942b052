"""Escaping of XML text and attribute values, shared by the response writer and the functions'
pre-rendered record fragments (both must escape exactly alike)."""

from __future__ import annotations


def esc(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def esc_attr(text: str) -> str:
    text = esc(text)
    return text.replace('"', "&quot;") if '"' in text else text
