"""The ranking metrics of bench/ir.py against values worked out by hand, and how
bench/lucene.py hands a collection to Lucene and reads its run."""

import json
import math

import pytest

from bench.ir import (
    LUCENE, SECTION, bag_of_words, evaluate, judged_id, markdown, ndcg_at, recall_at, rr_at, write_section,
)
from bench.lucene import LuceneUnavailable, anserini_jar, read_trec_run, write_collection

JUDGED = {"a": 2, "b": 1, "c": 0}


def test_ndcg_graded_gains_as_trec_eval():
    # ranked b, x, a: DCG = 1/log2(2) + 0 + 2/log2(4) = 2; ideal a, b: 2 + 1/log2(3)
    assert ndcg_at(["b", "x", "a"], JUDGED) == pytest.approx(2 / (2 + 1 / math.log2(3)))
    assert ndcg_at(["a", "b"], JUDGED) == pytest.approx(1.0)
    assert ndcg_at(["x"] * 10 + ["a"], JUDGED) == 0.0  # below the cut
    assert ndcg_at(["c"], JUDGED) == 0.0  # judged not relevant
    assert ndcg_at(["a"], {"c": 0}) == 0.0  # nothing relevant to find


def test_reciprocal_rank_and_recall():
    assert rr_at(["x", "c", "b", "a"], JUDGED) == pytest.approx(1 / 3)
    assert rr_at(["x"] * 10 + ["a"], JUDGED) == 0.0
    assert recall_at(["a", "x"], JUDGED) == 0.5
    assert recall_at(["x"] * 100 + ["a", "b"], JUDGED) == 0.0


def test_mean_counts_unanswered_questions_as_zero():
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 0}}  # q3 has nothing relevant: left out
    scores = evaluate({"q1": ["x", "a"]}, qrels)
    assert scores == {"ndcg10": pytest.approx((1 / math.log2(3)) / 2), "mrr10": 0.25, "r100": 0.5}


def test_question_as_a_bag_of_words():
    assert bag_of_words('Who said "NOT now" (in 1990)?') == "Who OR said OR not OR now OR in OR 1990"
    assert bag_of_words("title: Nagorno-Karabakh's *war~") == "title OR Nagorno-Karabakh's OR war"
    assert judged_id("sentences.jsonl#s12") == "s12"


def test_the_section_is_replaced_and_the_next_one_keeps_its_blank_line(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# R\n\n{SECTION}\n\nold table\n\n## Next\n\ntext\n", encoding="utf-8")
    write_section(results, f"{SECTION}\n\nnew table\n")
    assert results.read_text(encoding="utf-8") == f"# R\n\n{SECTION}\n\nnew table\n\n## Next\n\ntext\n"


def test_the_paragraphs_after_the_command_line_are_kept(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# R\n\n{SECTION}\n\nold table\n\nCommand: `old`.\n\nWhat changed: a.\n\nAnd b.\n\n## Next\n",
                       encoding="utf-8")
    write_section(results, f"{SECTION}\n\nnew table\n\nCommand: `new`.\n")
    assert results.read_text(encoding="utf-8") == (
        f"# R\n\n{SECTION}\n\nnew table\n\nCommand: `new`.\n\nWhat changed: a.\n\nAnd b.\n\n## Next\n")
    results.write_text(f"# R\n\n{SECTION}\n\nCommand: `old`.\n\nlast section\n", encoding="utf-8")
    write_section(results, f"{SECTION}\n\nCommand: `new`.\n")
    assert results.read_text(encoding="utf-8") == f"# R\n\n{SECTION}\n\nCommand: `new`.\n\nlast section\n"


def test_a_trec_run_is_read_in_rank_order(tmp_path):
    run = tmp_path / "run.txt"
    run.write_text("q1 Q0 d7 2 3.1 Anserini\nq1 Q0 d3 1 4.2 Anserini\nq2 Q0 d9 1 1.0 Anserini\n\n",
                   encoding="utf-8")
    assert read_trec_run(run) == {"q1": ["d3", "d7"], "q2": ["d9"]}


def test_lucene_reads_the_statements_as_a_json_collection_of_their_language(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "s.jsonl").write_text('{"id": "s0", "text": "Выборы прошли", "lang": "ru"}\n'
                                    '{"id": 5, "text": "Их итоги", "lang": "ru"}\n', encoding="utf-8")
    assert write_collection(corpus, tmp_path / "docs") == "ru"
    docs = [json.loads(line) for line in (tmp_path / "docs" / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert docs == [{"id": "s0", "contents": "Выборы прошли"}, {"id": "5", "contents": "Их итоги"}]
    (corpus / "t.jsonl").write_text('{"id": "t0", "text": "Elections", "lang": "en"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="one language"):
        write_collection(corpus, tmp_path / "docs")


def test_without_java_lucene_is_said_to_be_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # (no java there)
    with pytest.raises(LuceneUnavailable, match="no java"):
        anserini_jar(tmp_path / "lucene", print)


def test_the_table_shows_lucenes_own_run_when_there_is_one():
    ours = {"name": "scifact", "questions": 3, "ndcg10": 0.5, "mrr10": 0.5, "r100": 0.9}
    run_here = markdown([{**ours, "lucene": {"ndcg10": 0.1234, "mrr10": 0.2345, "r100": 0.3456}}], "x")
    assert "| 0.5000 | 0.1234 |" in run_here and "run here" in run_here
    from_readme = markdown([ours], "x")
    assert f"| 0.5000 | {LUCENE['scifact']['ndcg10']:.4f} |" in from_readme and "README" in from_readme
