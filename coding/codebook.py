"""Codebooks: the YAML files that say which themes exist and how rules find them.

Parsing and validation live here and nowhere else, with one error type that carries the
file and line, so `lagesbild check` can point an editor at the exact place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CODEBOOK_DIR = Path(__file__).parent / "codebooks"

#: Theme ids other tools rely on (reports, review, the database). A shipped codebook with
#: one of these names must define exactly these themes, in any order.
CONTRACT_THEMES: dict[str, frozenset[str]] = {
    "risks": frozenset({
        "domestic_violence", "honour_violence", "substance_abuse", "youth_idleness",
        "vulnerable_children", "public_safety", "isolation", "economic_hardship",
    }),
    "measures": frozenset({
        "outreach", "adult_presence", "family_support", "youth_activities", "information",
        "collaboration", "digital_services", "victim_support",
    }),
}

#: Pattern kinds. `phrase`: a sequence of words compared by lemma; `tokens`: a spaCy Matcher
#: token pattern; `prefix`/`suffix`/`contains`: part of one word's lemma (compound-aware);
#: `near`: two lists of lemmas ("word*" = lemma prefix) that must occur within `window`
#: words of each other in one sentence ("kontroll" near "familj": honour-related control).
PATTERN_KINDS = ("phrase", "tokens", "prefix", "suffix", "contains", "near")
DEFAULT_WINDOW = 6

#: What a negated match means. `mention` (default): negated -> the theme is reported negated.
#: `deficit`: the theme is present whether or not the word is negated ("inga sommarjobb").
#: `absence`: only a negated match counts, as present ("utan arbete", "saknar sysselsättning").
NEGATION_MODES = ("mention", "deficit", "absence")

#: `confirm: model` marks a pattern whose words are right only in some contexts (a single
#: common word: "sysselsättning", "Systembolaget"); its hit counts as present only when the
#: model agrees (coding.combine: p >= the tuned `confirm` level). Without a model it counts.
CONFIRM_MODES = ("model",)

# `context: [ungdom*, unga, elev*]`: the match counts only in a sentence where some word's
# lemma is one of these ("word*" = lemma prefix). For patterns whose words belong to the
# theme only when its people are there: a closed meeting place is a youth risk in a sentence
# about young people, and isolation in one about pensioners.

THEME_KEYS = {"id", "label", "definition", "include", "exclude", "examples", "patterns"}
PATTERN_KEYS = set(PATTERN_KINDS) | {"negation", "except", "note", "window", "confirm",
                                     "context"}
TOP_KEYS = {"codebook", "version", "description", "themes"}
MIN_AFFIX = 3
ALLOWED_TOKEN_KEYS = {"LOWER", "LEMMA", "ORTH", "TEXT", "IS_PUNCT", "IS_DIGIT", "LIKE_NUM", "OP"}


class CodebookError(ValueError):
    """A problem in a codebook file, located by file and line for `lagesbild check`."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None):
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        return f"{self.file}:{self.line or 1}: {self.message}"


@dataclass(frozen=True)
class Pattern:
    kind: str
    value: Any  # str for phrase and affixes, list of token dicts for `tokens`
    negation: str = "mention"
    exceptions: frozenset[str] = frozenset()  # lowercase word forms that never match
    line: int = 0
    window: int = DEFAULT_WINDOW  # only for `near`
    weak: bool = False  # `confirm: model`: present only with the model's agreement
    #: `context`: (exact lemmas, lemma prefixes), one of which the sentence must hold
    context: tuple[frozenset[str], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Theme:
    id: str
    label: dict[str, str]
    definition: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()

    def label_for(self, lang: str = "sv") -> str:
        return self.label.get(lang) or self.label["sv"]


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str
    description: str
    themes: tuple[Theme, ...]
    path: str = ""
    digest: str = field(default="", compare=False)

    @property
    def theme_ids(self) -> list[str]:
        return [theme.id for theme in self.themes]

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)


# --- YAML with line numbers -------------------------------------------------------------------


class _LineDict(dict):
    line: int = 1
    key_lines: dict


class _LineList(list):
    line: int = 1
    item_lines: list


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that remembers where every mapping, key and list item started."""

    # libyaml's parser when PyYAML has it: the pure-Python one took most of a report's build.

    def construct_mapping(self, node, deep=False):
        mapping = _LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            self.construct_object(key, deep=True): value.start_mark.line + 1
            for key, value in node.value
        }
        return mapping

    def construct_sequence(self, node, deep=False):
        items = _LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)


def _line_of(container: Any, key: Any, default: int = 1) -> int:
    if isinstance(container, _LineDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, _LineList) and isinstance(key, int) and key < len(
            container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", default)


# --- validation -------------------------------------------------------------------------------


class _Validator:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[CodebookError] = []

    def error(self, message: str, line: int) -> None:
        self.errors.append(CodebookError(message, self.path, line))

    def text(self, mapping: dict, key: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(f"'{key}' saknas (missing)", _line_of(mapping, key))
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(f"'{key}' ska vara text (must be a string)", _line_of(mapping, key))
            return ""
        return str(value).strip()

    def text_list(self, mapping: dict, key: str) -> tuple[str, ...]:
        value = mapping.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(f"'{key}' ska vara en lista med texter (must be a list of strings)",
                       _line_of(mapping, key))
            return ()
        return tuple(v.strip() for v in value)

    def unknown_keys(self, mapping: dict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(f"okänd nyckel '{key}' i {where} (unknown key; allowed: "
                           f"{', '.join(sorted(allowed))})", _line_of(mapping, key))

    def pattern(self, raw: Any, line: int) -> Pattern | None:
        if isinstance(raw, str):
            raw = {"phrase": raw}
        if not isinstance(raw, dict):
            self.error("ett mönster ska vara en text eller en mappning (pattern must be a "
                       "string or a mapping)", line)
            return None
        line = getattr(raw, "line", line)
        self.unknown_keys(raw, PATTERN_KEYS, "mönster (pattern)")
        kind = self.pattern_kind(raw, line)
        if kind is None:
            return None
        value = self.pattern_value(kind, raw[kind], _line_of(raw, kind))
        if value is None:
            return None
        negation = self.pattern_negation(raw)
        exceptions = self.text_list(raw, "except")
        return Pattern(kind=kind, value=value, negation=negation,
                       exceptions=frozenset(e.lower() for e in exceptions), line=line,
                       window=self.pattern_window(raw, kind),
                       weak=self.pattern_confirm(raw), context=self.pattern_context(raw))

    def pattern_context(self, raw: dict) -> tuple[frozenset[str], tuple[str, ...]] | None:
        if "context" not in raw:
            return None
        words = raw["context"]
        if (not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w.strip(" *") and " " not in w.strip() for w in words)):
            self.error("'context' ska vara en icke-tom lista med enstaka ord (context needs a "
                       "non-empty list of single words; 'ord*' = prefix)",
                       _line_of(raw, "context"))
            return None
        words = [w.strip().lower() for w in words]
        return (frozenset(w for w in words if not w.endswith("*")),
                tuple(w.rstrip("*") for w in words if w.endswith("*")))

    def pattern_confirm(self, raw: dict) -> bool:
        if "confirm" not in raw:
            return False
        if raw["confirm"] not in CONFIRM_MODES:
            self.error(f"'confirm' ska vara en av {', '.join(CONFIRM_MODES)} (must be one of "
                       f"these)", _line_of(raw, "confirm"))
            return False
        return True

    def pattern_kind(self, raw: dict, line: int) -> str | None:
        kinds = [k for k in PATTERN_KINDS if k in raw]
        if len(kinds) != 1:
            self.error(f"mönstret ska ha exakt en av {', '.join(PATTERN_KINDS)} (pattern needs "
                       "exactly one kind)", line)
            return None
        return kinds[0]

    def pattern_value(self, kind: str, value: Any, line: int) -> Any:
        """The pattern's value checked for its kind; None (and an error) when it is bad."""
        if kind == "tokens":
            return self.token_pattern(value, line)
        if kind == "near":
            return self.near_pattern(value, line)
        return self.word_pattern(kind, value, line)

    def word_pattern(self, kind: str, value: Any, line: int) -> str | None:
        """A phrase, or a prefix/suffix/infix: part of one word, long enough to mean it."""
        if not isinstance(value, str) or not value.strip():
            self.error(f"'{kind}' ska vara en icke-tom text (must be a non-empty string)", line)
            return None
        value = " ".join(value.lower().split())
        if kind != "phrase" and (len(value) < MIN_AFFIX or " " in value):
            self.error(f"'{kind}' ska vara en del av ett ord med minst {MIN_AFFIX} tecken "
                       f"(must be part of one word, at least {MIN_AFFIX} characters)", line)
            return None
        return value

    def pattern_negation(self, raw: dict) -> str:
        negation = raw.get("negation", "mention")
        if negation not in NEGATION_MODES:
            self.error(f"'negation' ska vara en av {', '.join(NEGATION_MODES)} "
                       f"(must be one of these)", _line_of(raw, "negation"))
            return "mention"
        return negation

    def pattern_window(self, raw: dict, kind: str) -> int:
        window = raw.get("window", DEFAULT_WINDOW)
        if "window" in raw and (kind != "near" or not isinstance(window, int)
                                or isinstance(window, bool) or not 1 <= window <= 30):
            self.error("'window' gäller bara 'near' och ska vara ett heltal 1-30 (window is "
                       "for near patterns only, an integer 1-30)", _line_of(raw, "window"))
            return DEFAULT_WINDOW
        return window

    def near_pattern(self, value: Any, line: int) -> tuple[tuple[str, ...], ...] | None:
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(group, list) and group for group in value)
                or not all(isinstance(w, str) and w.strip(" *") and " " not in w.strip()
                           for group in value for w in group)):
            self.error("'near' ska vara två icke-tomma listor med enstaka ord (near needs "
                       "two non-empty lists of single words; 'ord*' = prefix)", line)
            return None
        return tuple(tuple(w.strip().lower() for w in group) for group in value)

    def token_pattern(self, value: Any, line: int) -> list[dict] | None:
        if not isinstance(value, list) or not value or not all(isinstance(t, dict)
                                                                for t in value):
            self.error("'tokens' ska vara en lista med token-mappningar (must be a list of "
                       "token mappings)", line)
            return None
        for token in value:
            for key in token:
                if key not in ALLOWED_TOKEN_KEYS:
                    self.error(f"okänt tokenattribut '{key}' (unknown token attribute; "
                               f"allowed: {', '.join(sorted(ALLOWED_TOKEN_KEYS))})",
                               _line_of(token, key, line))
                    return None
                spec = token[key]
                if isinstance(spec, dict) and not set(spec) <= {"IN", "NOT_IN"}:
                    self.error(f"'{key}' stöder bara IN och NOT_IN (only IN and NOT_IN are "
                               "supported)", _line_of(token, key, line))
                    return None
            if token.get("OP", "?") != "?":
                self.error("bara OP '?' stöds (only OP '?' is supported)",
                           _line_of(token, "OP", line))
                return None
        if all(token.get("OP") == "?" for token in value):
            self.error("minst ett token måste vara obligatoriskt (at least one token must be "
                       "required)", line)
            return None
        try:  # spaCy's own schema check, without building a pipeline
            from spacy.matcher import Matcher
            from spacy.vocab import Vocab

            Matcher(Vocab(), validate=True).add("check", [_plain(value)])
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError variants
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.error(f"ogiltigt tokenmönster (invalid token pattern): {first}", line)
            return None
        return _plain(value)

    def theme(self, raw: Any, line: int) -> Theme | None:
        if not isinstance(raw, dict):
            self.error("ett tema ska vara en mappning (theme must be a mapping)", line)
            return None
        self.unknown_keys(raw, THEME_KEYS, "tema (theme)")
        theme_id = self.text(raw, "id")
        if theme_id and not theme_id.replace("_", "").isalnum():
            self.error(f"tema-id '{theme_id}' får bara innehålla a-z, 0-9 och _ (theme id "
                       "may only contain letters, digits and _)", _line_of(raw, "id"))
        label = raw.get("label")
        labels: dict[str, str] = {}
        if not isinstance(label, dict) or not isinstance(label.get("sv"), str):
            self.error("'label' ska ha minst 'sv' (label needs at least 'sv', and 'en')",
                       _line_of(raw, "label"))
        else:
            labels = {k: str(v) for k, v in label.items() if isinstance(v, str)}
            if "en" not in labels:
                self.error("'label' saknar 'en' (English label missing)", _line_of(raw, "label"))
        definition = self.text(raw, "definition")
        patterns_raw = raw.get("patterns")
        patterns: list[Pattern] = []
        if not isinstance(patterns_raw, list) or not patterns_raw:
            self.error("'patterns' ska vara en icke-tom lista (patterns must be a non-empty "
                       "list)", _line_of(raw, "patterns"))
        else:
            for index, item in enumerate(patterns_raw):
                pattern = self.pattern(item, _line_of(patterns_raw, index))
                if pattern is not None:
                    patterns.append(pattern)
        return Theme(id=theme_id, label=labels, definition=definition,
                     include=self.text_list(raw, "include"),
                     exclude=self.text_list(raw, "exclude"),
                     examples=self.text_list(raw, "examples"), patterns=tuple(patterns))

    def codebook(self, raw: Any, name: str) -> Codebook | None:
        if not isinstance(raw, dict):
            self.error("kodboken ska vara en mappning (codebook must be a mapping)", 1)
            return None
        self.unknown_keys(raw, TOP_KEYS, "kodboken (codebook)")
        declared = self.text(raw, "codebook")
        if declared and declared != name:
            self.error(f"'codebook: {declared}' stämmer inte med filnamnet '{name}' (name "
                       "must match the file name)", _line_of(raw, "codebook"))
        version = self.text(raw, "version")
        themes_raw = raw.get("themes")
        themes: list[Theme] = []
        if not isinstance(themes_raw, list) or not themes_raw:
            self.error("'themes' ska vara en icke-tom lista (themes must be a non-empty list)",
                       _line_of(raw, "themes"))
            return None
        seen: set[str] = set()
        for index, item in enumerate(themes_raw):
            theme = self.theme(item, _line_of(themes_raw, index))
            if theme is None:
                continue
            if theme.id in seen:
                self.error(f"tema-id '{theme.id}' förekommer två gånger (duplicate theme id)",
                           _line_of(themes_raw, index))
            seen.add(theme.id)
            themes.append(theme)
        required = CONTRACT_THEMES.get(name)
        if required is not None and seen and seen != required:
            missing = ", ".join(sorted(required - seen)) or "-"
            extra = ", ".join(sorted(seen - required)) or "-"
            self.error(f"kodboken '{name}' måste ha exakt de överenskomna temana (contract "
                       f"theme ids): saknas {missing}; okända {extra}", _line_of(raw, "themes"))
        return Codebook(name=name, version=version, description=self.text(
            raw, "description", required=False), themes=tuple(themes), path=str(self.path))


def _plain(value: Any) -> Any:
    """Strip the line-tracking subclasses so values compare and serialise as plain data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _parse(path: Path) -> tuple[Codebook | None, list[CodebookError]]:
    validator = _Validator(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [CodebookError(f"kan inte läsa filen (cannot read): {exc.strerror}", path)]
    try:
        raw = yaml.load(data.decode("utf-8"), Loader=_LineLoader)  # noqa: S506 - safe subclass
    except UnicodeDecodeError:
        return None, [CodebookError("filen är inte UTF-8 (file is not UTF-8)", path, 1)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [CodebookError(f"ogiltig YAML (invalid YAML): {problem}", path, line)]
    book = validator.codebook(raw, path.stem)
    if book is not None:
        digest = hashlib.sha256(data).hexdigest()
        book = Codebook(name=book.name, version=book.version, description=book.description,
                        themes=book.themes, path=book.path, digest=digest)
    return book, validator.errors


def list_codebooks() -> list[str]:
    """Names of the codebooks shipped with the package, e.g. ['measures', 'risks']."""
    return sorted(p.stem for p in CODEBOOK_DIR.glob("*.yaml"))


def codebook_path(name_or_path: str | Path) -> Path:
    """Resolve a shipped codebook name or a path to a YAML file; raise for unknown names."""
    text = str(name_or_path)
    if text in list_codebooks():
        return CODEBOOK_DIR / f"{text}.yaml"
    path = Path(text)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    raise CodebookError(f"okänd kodbok '{text}' (unknown codebook); tillgängliga "
                        f"(available): {', '.join(list_codebooks()) or '-'}")


_CACHE: dict[tuple[str, float], Codebook] = {}


def load_codebook(name_or_path: str | Path) -> Codebook:
    """Load and validate a codebook; raise the first CodebookError found."""
    path = codebook_path(name_or_path)
    key = (str(path.resolve()), path.stat().st_mtime)
    if key in _CACHE:
        return _CACHE[key]
    book, errors = _parse(path)
    if errors:
        raise errors[0]
    assert book is not None
    _CACHE[key] = book
    return book


def codebook_check(path: str | Path) -> list[str]:
    """Every problem in a codebook file as 'FILE:LINE: message' strings (empty when valid)."""
    _, errors = _parse(Path(path))
    return [str(error) for error in sorted(errors, key=lambda e: e.line or 0)]
