"""`lagesbild code` and `lagesbild coding evaluate|train|run` (command names and output
formats are a contract; survey/cli.py adds these commands to the `lagesbild` group)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from coding.classifier import save_model
from coding.codebook import CodebookError, list_codebooks, load_codebook
from coding.coder import clear_cache, coder_from_nlp, get_coder, rules_only_coder
from coding.corpus import BLIND_DIR, load_corpus, read_labelled
from coding.evaluate import MODES, evaluate, format_report, score
from coding.reliability import direction_report, format_reliability, reliability
from coding.training import corpus_examples, examples_from_file, merge_examples, train
from survey import store
from survey.cli.jsonlines import dump, read_answers
from survey.services import autocode

DEFAULT_MODELS_DIR = "instance/models"
MODELS_HELP = ("Folder of trained models (instance/models), a codebook's folder in it, or one "
               "version folder. Default: $LAGESBILD_MODELS_DIR or instance/models when it "
               "holds a current model, else the default model.")


def _codebook_option(default: str | None = "risks"):
    def check(_ctx, _param, value):
        if value is None:
            return None
        try:
            load_codebook(value)
        except CodebookError as exc:
            raise click.BadParameter(str(exc)) from exc
        return value

    return click.option("--codebook", default=default, show_default=default is not None,
                        callback=check, help=f"Kodbok (codebook): {', '.join(list_codebooks())}"
                        " or a path to a codebook YAML file.")


def _models_option():
    return click.option("--model-dir", "model_dir", type=click.Path(path_type=Path),
                        envvar="LAGESBILD_MODELS_DIR", default=None, help=MODELS_HELP)


def _resolve_model_dir(model_dir: Path | None, codebook: str) -> Path | None:
    if model_dir is not None:
        return model_dir
    fallback = Path(DEFAULT_MODELS_DIR) / codebook
    return fallback if (fallback / "current").is_file() else None


def _get_coder(codebook: str, model_dir: Path | None, rules_only: bool = False):

    _log_to_stderr()
    coder = (rules_only_coder(codebook) if rules_only
             else get_coder(codebook, _resolve_model_dir(model_dir, codebook)))
    if coder.model_error:
        click.echo(f"varning: enbart regler används (warning: rules only): {coder.model_error}",
                   err=True)
    return coder


def _log_to_stderr() -> None:
    logger = logging.getLogger("coding")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


# --- lagesbild code ---------------------------------------------------------------------------


@click.command("code")
@click.argument("file", required=False, default="-",
                type=click.Path(dir_okay=False, allow_dash=True))
@_codebook_option()
@_models_option()
@click.option("--batch-size", default=256, show_default=True, type=click.IntRange(1, 100_000))
def code(file: str, codebook: str, model_dir: Path | None, batch_size: int) -> None:
    """Koda fritextsvar / Code free-text answers.

    Reads JSON Lines {"id": ..., "text": ...} from FILE (stdin without FILE) and writes one
    line per input, in order: {"id": ..., "codes": [...]}. An invalid line gives
    {"id": ..., "line": N, "error": ...} and a message on stderr; the other lines are still
    coded, and the exit status is then 1.
    """
    coder = _get_coder(codebook, model_dir)
    pending: list[tuple[int, Any, str | None, str | None]] = []
    errors = 0

    def flush() -> None:
        texts = [text for _n, _id, text, error in pending if error is None]
        results = iter(coder.code_many(texts, batch_size=batch_size)) if texts else iter(())
        for number, answer_id, _text, error in pending:
            if error is None:
                codes = [c.to_dict() for c in next(results)]
                click.echo(dump({"id": answer_id, "codes": codes}))
            else:
                click.echo(dump({"id": answer_id, "line": number, "error": error}))
        pending.clear()

    with click.open_file(file, encoding="utf-8-sig", errors="replace") as handle:
        for number, answer_id, text, error in read_answers(handle):
            if error is not None:
                errors += 1
                click.echo(f"rad {number} (line {number}): {error}", err=True)
            pending.append((number, answer_id, text, error))
            if len(pending) >= batch_size:
                flush()
    flush()
    if errors:
        raise click.exceptions.Exit(1)


# --- lagesbild coding ... ---------------------------------------------------------------------


@click.group("coding")
def coding() -> None:
    """Autokodning: utvärdera, träna, koda en omgång / Auto-coding: evaluate, train, run."""


def _infer_codebook(path: Path, labels: set[str]) -> str:
    names = list_codebooks()
    for name in names:
        if path.stem.startswith(name):
            return name
    for name in names:
        if labels and labels <= set(load_codebook(name).theme_ids):
            return name
    raise click.UsageError("ange --codebook (cannot tell the codebook from the file)")


@coding.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_codebook_option(default=None)
@_models_option()
@click.option("--split", "splits", multiple=True,
              type=click.Choice(["train", "dev", "test", "pool", "blind"]),
              help="Only rows of this split (repeatable). Default: every row. Rows of a "
                   "file in coding/corpus/blind/ are the blind split.")
@click.option("--rules-only", is_flag=True, help="Skip the model (faster).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_command(file: Path, codebook: str | None, model_dir: Path | None,
                     splits: tuple[str, ...], rules_only: bool, as_json: bool) -> None:
    """Utvärdera kodaren mot märkta svar / Score the coder against labelled answers.

    FILE holds JSON Lines {"id", "text", "labels": [...], "negated": [...]}. Prints per
    theme precision, recall and F1, then micro and macro F1 and negation accuracy, for the
    rules alone, the model alone and the combination.
    """

    in_blind = file.resolve().parent == BLIND_DIR.resolve()
    rows, problems = read_labelled(file, "blind" if in_blind else "")
    for problem in problems:
        click.echo(problem, err=True)
    if splits:
        rows = [row for row in rows if row.split in splits]
    if not rows:
        raise click.ClickException("inga rader att utvärdera (no rows to evaluate)")
    codebook = codebook or _infer_codebook(file, set().union(*(r.labels for r in rows)))
    coder = _get_coder(codebook, model_dir, rules_only)
    analyses = coder.analyse_many([row.text for row in rows])
    modes = MODES if coder.has_model else ("rules",)
    reports = score(coder.codebook.theme_ids, rows, analyses, modes)
    accept_at = coder.combination.auto_accept if coder.has_model else None
    if as_json:
        click.echo(dump({"codebook": codebook, "rows": len(rows),
                          "model_version": coder.model_version,
                          "modes": {m: r.to_dict() for m, r in reports.items()},
                          "reliability": [
                              {"low": b.low, "high": min(b.high, 1.0), "codes": b.codes,
                               "share": round(b.share, 4),
                               "precision": None if b.precision is None
                               else round(b.precision, 4)}
                              for b in reliability(rows, analyses)],
                          "auto_accept": accept_at,
                          "direction": direction_report(rows, analyses).to_dict()}))
        return
    title = (f"{codebook}: {len(rows)} svar (answers)"
             f"{' [' + ','.join(splits) + ']' if splits else ''}, "
             f"modell (model) {coder.model_version or '-'}")
    click.echo(format_report(reports, title))
    click.echo(format_reliability(rows, analyses, accept_at))


@coding.command("train")
@_codebook_option()
@click.option("--from-file", "files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL with {"text", "cats": {theme: 0/1}} (partial) or {"text", '
                   '"labels": [...]} (complete). Repeatable.')
@click.option("--from-db", is_flag=True, help="Add the human-verified codes in the database.")
@click.option("--db", "db_file", envvar="LAGESBILD_DB", default="instance/lagesbild.db",
              show_default=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="LAGESBILD_MODELS_DIR", default=DEFAULT_MODELS_DIR, show_default=True,
              help="Instance models folder; the new version goes to <folder>/<codebook>/.")
@click.option("--no-corpus", is_flag=True, help="Do not include the corpus train split.")
@click.option("--activate/--no-activate", default=True, show_default=True,
              help="Make the new version the current one.")
@click.option("--seed", default=0, show_default=True, type=int)
def train_command(codebook: str, files: tuple[Path, ...], from_db: bool, db_file: Path,
                  models_dir: Path, no_corpus: bool, activate: bool, seed: int) -> None:
    """Träna en ny modellversion / Train a new model version from verified codes.

    Prints the evaluation on the corpus dev split before and after, saves the version under
    the models folder and (by default) makes it current.
    """

    extra = []
    for path in files:
        found, problems = examples_from_file(path, codebook)
        if problems:
            for problem in problems:
                click.echo(problem, err=True)
            raise click.ClickException(f"{len(problems)} ogiltiga rader i {path} (invalid "
                                       "lines); inget tränades (nothing trained)")
        extra.extend(found)
    if from_db:
        extra.extend(_db_examples(db_file, codebook))
    base = [] if no_corpus else corpus_examples(codebook, ("train",))
    examples = merge_examples(base, extra)
    if not examples:
        raise click.ClickException("inga träningsexempel (no training examples)")
    dev = load_corpus(codebook, ("dev",))
    before = _get_coder(codebook, models_dir / codebook if (
        models_dir / codebook / "current").is_file() else None)
    click.echo(f"Tränar {codebook} (training): {len(base)} korpussvar, {len(extra)} "
               f"verifierade (verified), seed {seed}")
    nlp, info = train(codebook, examples, dev=dev or None, seed=seed)
    after = coder_from_nlp(codebook, nlp, info.combination, "new")
    if dev:
        old_reports, new_reports = evaluate(before, dev), evaluate(after, dev)
        info.evaluation = {"dev": {m: r.to_dict() for m, r in new_reports.items()},
                           "dev_before": {m: r.to_dict() for m, r in old_reports.items()},
                           "previous_version": before.model_version}
        click.echo(format_report(old_reports, f"Före (before), modell {before.model_version}, "
                                              f"dev-delen ({len(dev)} svar)"))
        click.echo(format_report(new_reports, f"\nEfter (after), dev-delen ({len(dev)} svar)"))
    path = save_model(nlp, info, models_dir / codebook, make_current=activate)
    clear_cache()
    state = "aktuell (current)" if activate else "inte aktiverad (not activated)"
    click.echo(f"\nSparad modell (saved model) {info.version}: {path} [{state}]")


def _open_db(db_file: Path):
    if not db_file.is_file():
        raise click.ClickException(f"databasen finns inte (database not found): {db_file}; "
                                   "kör `lagesbild init`")
    return store.connect(db_file)


def _db_examples(db_file: Path, codebook: str):

    return autocode.verified_training_examples(_open_db(db_file), codebook)


@coding.command("run")
@click.option("--round", "round_id", required=True, help="Omgångens id (round id).")
@click.option("--db", "db_file", envvar="LAGESBILD_DB", default="instance/lagesbild.db",
              show_default=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="LAGESBILD_MODELS_DIR", default=DEFAULT_MODELS_DIR, show_default=True)
def run_command(round_id: str, db_file: Path, models_dir: Path) -> None:
    """Koda alla fritextsvar i en omgång / Code every free-text answer of a round.

    Codes a person has decided on are kept; automatic codes are replaced and record the
    model version that made them.
    """

    db = _open_db(db_file)
    try:
        items = autocode.round_answers(db, round_id)
    except LookupError as exc:
        raise click.ClickException(f"omgången finns inte (no such round): {round_id}") from exc
    if not items:
        click.echo(f"Inga fritextsvar att koda i {round_id} (no free-text answers).")
        return
    _log_to_stderr()
    with click.progressbar(length=len(items), label=f"Kodar (coding) {round_id}",
                           file=sys.stderr) as bar:
        summary = autocode.code_and_store(db, items, models_dir, progress=bar.update)
    for warning in summary.warnings:
        click.echo(f"varning (warning): {warning}", err=True)
    for book, version in summary.model_versions.items():
        answered = summary.by_codebook.get(book, 0)
        click.echo(f"{book}: {answered} svar, modell (model) {version or 'regler'}")
    click.echo(f"Klart (done): {summary.answers} svar, {summary.codes} nya koder (new codes).")
