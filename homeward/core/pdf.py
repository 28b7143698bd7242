"""PDF documents with Cyrillic text (DejaVu fonts shipped in core/fonts)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"


class Document(FPDF):
    """An A4 document with a heading style and text that always starts at the left margin."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def heading(self, text: str, size: int = 12) -> None:
        self.ln(2)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")

    def text_line(self, text: str, size: int = 9) -> None:
        self.set_font("DejaVu", "", size)
        self.multi_cell(0, size * 0.55, text or "—", new_x="LMARGIN", new_y="NEXT")

    def bytes(self) -> bytes:
        return bytes(self.output())
