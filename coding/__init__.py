"""Swedish auto-coding of free-text answers: codebooks, rules, negation and a classifier.

    from coding import get_coder
    coder = get_coder("risks")
    coder.code("Inga sommarjobb i år och fler orosanmälningar.")
"""

from coding.codebook import CodebookError, list_codebooks, load_codebook
from coding.coder import Code, Coder, clear_cache, get_coder

__all__ = ["Code", "Coder", "CodebookError", "clear_cache", "get_coder", "list_codebooks",
           "load_codebook"]
