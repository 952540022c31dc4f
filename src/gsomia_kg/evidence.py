"""Find each evidence quote in its document and say precisely what is wrong when it is not there."""

from __future__ import annotations

import unicodedata

_LOOKALIKES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
                             "\u2013": "-", "\u2014": "-", "\u2009": " ", "\u202f": " "})
_NAMES = {"\u2018": "‘ (left single quote)", "\u2019": "’ (right single quote)", "\u201c": "“ (left double quote)",
          "\u201d": "” (right double quote)", "\u00a0": "a non-breaking space", "\u2013": "– (en dash)",
          "\u2014": "— (em dash)", "'": "' (straight quote)", '"': '" (straight double quote)', " ": "a space",
          "-": "- (hyphen)"}


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets (code points) of every occurrence of ``quote`` in ``text``, overlaps included."""
    out, i = [], text.find(quote)
    while i != -1:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def _fold_with_map(s: str) -> tuple[str, list[int]]:
    """Fold look-alikes and runs of white space; return the folded text and each folded char's offset in ``s``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(s):
        f = ch.translate(_LOOKALIKES)
        if f.isspace():
            if out and out[-1] == " ":
                continue
            f = " "
        out.append(f)
        where.append(i)
    return "".join(out), where


def diagnose_missing(text: str, quote: str) -> str:
    r"""A hint for a quote that is not in the text: line endings, look-alike characters, case, or the nearest passage.

    >>> diagnose_missing("a\r\nb", "a\nb")[:44]
    'the document has Windows line endings (CRLF)'
    """
    if "\r\n" in text and "\n" in quote and "\r" not in quote and (k := text.find(quote.replace("\n", "\r\n"))) != -1:
        return (f"the document has Windows line endings (CRLF): its line breaks are \\r\\n, two characters that "
                f"offsets count; write \\r\\n in the quote (it then occurs at {k}), or convert the document to LF")
    nfc_text, nfc_quote = unicodedata.normalize("NFC", text), unicodedata.normalize("NFC", quote)
    if (nfc_text != text or nfc_quote != quote) and nfc_quote in nfc_text:
        odd = quote if nfc_quote != quote else text
        marks = sorted({f"U+{ord(c):04X} {unicodedata.name(c, '')}" for c in odd if unicodedata.combining(c)})
        detail = f"combining marks ({', '.join(marks[:3])})" if marks else "characters with a canonical equivalent"
        return (f"the quote matches only after Unicode normalization: {'the quote' if odd is quote else 'the text'} "
                f"has {detail} where the other has precomposed characters; copy the words from the document")
    folded_text, where = _fold_with_map(nfc_text)
    folded_quote, _ = _fold_with_map(nfc_quote)
    i = folded_text.find(folded_quote)
    if i != -1 and len(text) == len(nfc_text):
        start = where[i]
        end = where[i + len(folded_quote) - 1] + 1 if folded_quote else start
        passage = text[start:end]
        diffs = [f"the text has {_NAMES.get(a, repr(a))} where the quote has {_NAMES.get(b, repr(b))}"
                 for a, b in zip(passage, quote) if a != b]
        detail = "; ".join(dict.fromkeys(diffs)) if diffs and len(passage) == len(quote) else "white space differs"
        return f"look-alike characters: {detail}; the text at {start}-{end} reads {passage!r}"
    if i != -1:
        return "the quote matches only after Unicode normalization: copy it from the document"
    j = text.lower().find(quote.lower())
    if j != -1:
        return f"upper/lower case differs: the text at {j} reads {text[j:j + len(quote)]!r}"
    # the longest prefix of the quote that occurs, to show where it departs from the text
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo >= 8:
        k = text.find(quote[:lo])
        return (f"the first {lo} characters match at offset {k}, then the text reads "
                f"{text[k + lo:k + lo + 30]!r} where the quote has {quote[lo:lo + 30]!r}")
    return "not found anywhere in the document (was the document changed after the mapping was written?)"
