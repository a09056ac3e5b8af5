from __future__ import annotations

from worldwire.extract.document import MAX_HTML_CHARS, decode_html, parse_html


def test_utf8_wins_over_a_wrong_latin1_declaration() -> None:
    text, warnings = decode_html('<meta charset="iso-8859-1"><p>café</p>'.encode())
    assert "café" in text and warnings == []


def test_declared_single_byte_charset_is_used() -> None:
    text, _ = decode_html('<meta charset="windows-1252"><p>café “q”</p>'.encode("cp1252"))
    assert "café “q”" in text


def test_undeclared_legacy_bytes_are_guessed_with_a_warning() -> None:
    data = ("<p>" + "Überraschung für Ärzte und Öffentlichkeit. " * 20 + "</p>").encode("latin-1")
    text, warnings = decode_html(data)
    assert "Überraschung" in text
    assert any("guessed" in w for w in warnings)


def test_byte_order_marks() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>x</p>")[0] == "<p>x</p>"
    assert decode_html("<p>ü</p>".encode("utf-16"))[0] == "<p>ü</p>"


def test_empty_and_nul() -> None:
    assert decode_html(b"")[1] == ["empty document"]
    text, warnings = decode_html(b"<p>a\x00b</p>")
    assert text == "<p>ab</p>" and warnings == ["NUL characters removed"]
    assert parse_html("   ") is None


def test_huge_pages_are_cut() -> None:
    text, warnings = decode_html("<p>" + "x" * (MAX_HTML_CHARS + 10))
    assert len(text) == MAX_HTML_CHARS and "truncated" in warnings[0]


def test_xhtml_declaration_does_not_stop_the_parser() -> None:
    root = parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>')
    assert root is not None and root.text_content() == "x"
