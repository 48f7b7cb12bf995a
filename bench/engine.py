"""Benchmark of the answer engine against PostgreSQL FTS and SQLite FTS5, on the same documents and questions.

    make bench            # real corpus and scaled to 300,000 documents, both peers
    .venv/bin/python -m bench.engine --help

Prints a table and writes var/bench/engine-results.json. Not a test: speed is measured here, never asserted.
"""

import argparse
import gc
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import learning, named_places, own_case
from .catalogue import BENCH_DIR, ensure_imported, setup_django
from .questions import Question, decision_correct, load, rank_metrics

REPEATS = 3


def rss_megabytes() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 3)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def evaluate_engine(engine: Any, questions: list[Question], place_of: Callable[[str], Any]) -> dict[str, Any]:
    decisions, handovers, handover_orgs, ranks = [], [], [], []
    by_category: dict[str, list[bool]] = {}
    for question in questions:
        place = place_of(question.postcode)
        response = engine.ask(question.text, place=place, audience=question.audience)
        answer_id = response.answer.source_id if response.answer else ""
        reason = (response.clarify or {}).get("reason", "")
        right = decision_correct(question, response.status, answer_id, reason, "")
        decisions.append(right)
        by_category.setdefault(question.category, []).append(right)
        if question.expected["status"] == "handover":
            handovers.append(response.status == "handover")
            if "organisation_code" in question.expected:
                handover_orgs.append(
                    (response.handover_to or {}).get("code") == question.expected["organisation_code"]
                )
        if question.answerable:
            ranked = [
                a.source_id for a in engine.ranked(question.text, place=place, audience=question.audience)
            ]
            ranks.append(rank_metrics(question, ranked))
    return {
        "decision_accuracy": mean(decisions),
        "by_category": {k: mean(v) for k, v in sorted(by_category.items())},
        **rank_summary(ranks),
        "handover_correct": mean(handovers),
        "handover_organisation_correct": mean(handover_orgs),
    }


def evaluate_peer(
    peer: Any,
    questions: list[Question],
    partitions_of: Callable[[str], list[str]],
    source_of: dict[str, str],
    timings: list[float],
) -> dict[str, Any]:
    """Peers are slow at scale, so their latency is timed in this same single pass."""
    ranks, handovers = [], []
    for question in questions:
        started = time.perf_counter()
        found = peer.search(question.text, partitions_of(question.postcode), 20)
        timings.append(time.perf_counter() - started)
        hits = [source_of[key] for key, _ in found if key in source_of]
        if question.answerable:
            ranks.append(rank_metrics(question, hits))
        if question.expected["status"] == "handover":
            handovers.append(not hits)
    return {**rank_summary(ranks), "handover_correct": mean(handovers)}


def rank_summary(ranks: list[tuple[float, float, float]]) -> dict[str, float]:
    return {
        "accuracy_at_1": mean([r[0] for r in ranks]),
        "recall_at_5": mean([r[1] for r in ranks]),
        "mrr_at_10": mean([r[2] for r in ranks]),
    }


def mean(values: Sequence[float | bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def latency(call: Callable[[Question], object], questions: list[Question]) -> dict[str, float]:
    samples = []
    for _ in range(REPEATS):
        for question in questions:
            started = time.perf_counter()
            call(question)
            samples.append(time.perf_counter() - started)
    return percentiles(samples)


def run_size(
    label: str,
    documents: list[Any],
    questions: dict[str, list[Question]],
    places: dict[str, Any],
    peers: list[str],
    synonyms: dict[str, list[str]],
    names: list[tuple[str, Any]],
    learn: bool = False,
) -> dict[str, Any]:
    from antwoord.answers.engine.decide import Engine
    from antwoord.answers.engine.index import NATIONAL, SearchIndex
    from antwoord.answers.services import load_calibration

    print(f"\n== {label}: {len(documents):,} documents ==", flush=True)
    result: dict[str, Any] = {"documents": len(documents)}
    gc.collect()
    before = rss_megabytes()
    started = time.perf_counter()
    index = SearchIndex(documents, synonyms, version=label, place_names=names)
    engine = Engine(index, load_calibration())
    result["engine"] = {
        "build_seconds": round(time.perf_counter() - started, 2),
        "memory_mb": round(rss_megabytes() - before, 1),
    }
    every = questions["dev"] + questions["test"]
    result["engine"]["latency"] = latency(
        lambda q: engine.ask(q.text, place=places.get(q.postcode), audience=q.audience), every
    )
    for split, items in questions.items():
        result["engine"][split] = evaluate_engine(engine, items, places.get)
    print_row("engine", result["engine"])
    if learn:
        result["engine"]["learning"] = learning.measure(engine, questions, places.get)
        print(f"learning from use (top-1 of answered decisions): {result['engine']['learning']}", flush=True)
        result["engine"]["named_places"] = named = named_places.measure(engine)
        print(
            f"places named in the question ({named['questions']}): decision "
            f"{named['without_place_names']['decision_accuracy']:.3f} without place names -> "
            f"{named['with_place_names']['decision_accuracy']:.3f} with them; right place "
            f"{named['without_place_names']['place_right']:.3f} -> {named['with_place_names']['place_right']:.3f}",
            flush=True,
        )
    source_of = {d.key: d.payload.get("source_id", "") for d in documents if d.kind != "product"}

    def partitions_of(postcode: str) -> list[str]:
        place = places.get(postcode)
        return [NATIONAL, *(place.partitions if place else [])]

    for name in peers:
        peer = make_peer(name)
        try:
            started = time.perf_counter()
            peer.build(documents)
            stats: dict[str, Any] = {"build_seconds": round(time.perf_counter() - started, 2)}
            timings: list[float] = []
            for split, items in questions.items():
                stats[split] = evaluate_peer(peer, items, partitions_of, source_of, timings)
            stats["latency"] = percentiles(timings)
            result[name] = stats
            print_row(name, stats)
        finally:
            peer.close()
    return result


def make_peer(name: str) -> Any:
    from .peers import PostgresFTS, SqliteFTS5

    return {"postgres": PostgresFTS, "sqlite": SqliteFTS5}[name]()


def print_row(name: str, stats: dict[str, Any]) -> None:
    test = stats["test"]
    latency_ = stats["latency"]
    decision = f"{test['decision_accuracy']:.3f}" if "decision_accuracy" in test else "  -  "
    print(
        f"{name:9} build {stats['build_seconds']:7.1f}s  p50 {latency_['p50_ms']:8.2f}ms  p95 {latency_['p95_ms']:8.2f}ms  "
        f"p99 {latency_['p99_ms']:8.2f}ms | test: decision {decision}  acc@1 {test['accuracy_at_1']:.3f}  "
        f"R@5 {test['recall_at_5']:.3f}  MRR@10 {test['mrr_at_10']:.3f}  handover {test['handover_correct']:.3f}",
        flush=True,
    )


def ratios(result: dict[str, Any], peers: list[str]) -> dict[str, Any]:
    engine = result["engine"]
    out = {}
    for name in peers:
        peer = result[name]
        out[name] = {
            "p95_speedup": round(peer["latency"]["p95_ms"] / max(engine["latency"]["p95_ms"], 1e-6), 1),
            "p50_speedup": round(peer["latency"]["p50_ms"] / max(engine["latency"]["p50_ms"], 1e-6), 1),
            "accuracy_at_1_gain": round(engine["test"]["accuracy_at_1"] - peer["test"]["accuracy_at_1"], 3),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument(
        "--scale", type=int, default=300_000, help="also run at this many documents (0: skip)"
    )
    parser.add_argument(
        "--peers", default="postgres,sqlite", help="comma-separated: postgres, sqlite, or none"
    )
    parser.add_argument(
        "--calibrate", action="store_true", help="fit the confidence model on the dev split first"
    )
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p and p != "none"]

    setup_django()
    ensure_imported(args.data)
    from antwoord.answers.documents import build_documents
    from antwoord.answers.services import place_names, resolve_place, synonym_table

    from .synthetic import distractors

    questions = {"dev": load("dev"), "test": load("test")}
    places = {
        q.postcode: resolve_place(q.postcode) for items in questions.values() for q in items if q.postcode
    }
    documents = build_documents()
    synonyms = synonym_table()
    names = place_names()
    if args.calibrate:
        calibrate(documents, synonyms, names, questions["dev"], places)

    results: dict[str, Any] = {"questions": {k: len(v) for k, v in questions.items()}, "runs": {}}
    results["runs"]["real"] = run_size(
        "real corpus", documents, questions, places, peers, synonyms, names, learn=True
    )
    results["runs"]["real"]["ratios"] = ratios(results["runs"]["real"], peers)
    if args.scale:
        scaled = distractors(documents, args.scale)
        results["runs"]["scaled"] = run_size(
            f"scaled to {args.scale:,}", scaled, questions, places, peers, synonyms, names
        )
        results["runs"]["scaled"]["ratios"] = ratios(results["runs"]["scaled"], peers)
    print("\nratios (peer latency / engine latency; engine acc@1 minus peer acc@1, test split):")
    for run, data in results["runs"].items():
        for name, ratio in data["ratios"].items():
            print(
                f"  {run:7} vs {name:9} p50 x{ratio['p50_speedup']}  p95 x{ratio['p95_speedup']}  acc@1 +{ratio['accuracy_at_1_gain']}"
            )
    results["own_case_cue"] = own_case.measure()
    cue = results["own_case_cue"]
    print(
        f"\nown-case cue (bench/questions/own-case.jsonl): {cue['own_case_recognised']:.3f} of own-case "
        f"questions recognised, {cue['general_flagged']:.3f} of general questions flagged"
    )
    output = BENCH_DIR / "engine-results.json"
    output.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nwritten: {output}")


def calibrate(
    documents: list[Any],
    synonyms: dict[str, list[str]],
    names: list[tuple[str, Any]],
    dev: list[Question],
    places: dict[str, Any],
) -> None:
    from dataclasses import replace

    from antwoord.answers.engine.decide import Calibration, Engine
    from antwoord.answers.engine.index import SearchIndex
    from antwoord.answers.services import CALIBRATION_FILE

    from .calibrate import (
        FOLDS,
        accuracy,
        candidate_sets,
        cross_validated,
        fit_observations,
        fit_reranker,
        observe,
        reranked_accuracy,
        reranker_cross_validated,
    )

    index = SearchIndex(documents, synonyms, place_names=names)
    sets = candidate_sets(Engine(index), dev, places.get)
    rerank_weights = fit_reranker(sets)
    observations = observe(Engine(index, Calibration(rerank_weights=rerank_weights)), dev, places.get)
    calibration = replace(fit_observations(observations), rerank_weights=rerank_weights)
    fitted, held_out = accuracy(observations, calibration), cross_validated(observations)
    ranked_fitted, ranked_held_out = reranked_accuracy(sets, rerank_weights), reranker_cross_validated(sets)
    CALIBRATION_FILE.write_text(
        json.dumps(
            {
                "weights": list(calibration.weights),
                "bias": calibration.bias,
                "threshold": calibration.threshold,
                "ambiguity": calibration.ambiguity,
                "place_margin": calibration.place_margin,
                "uncertain_place_margin": calibration.uncertain_place_margin,
                "topic_fit": calibration.topic_fit,
                "rerank_weights": list(calibration.rerank_weights),
                "fitted_on": f"bench/questions/dev.jsonl ({len(dev)} questions)",
                # What the fit reaches on the questions it was fitted on, and on held-out folds of them.
                "dev_decision_accuracy": round(fitted, 4),
                "dev_decision_accuracy_cross_validated": round(held_out, 4),
                "dev_accuracy_at_1_reranked": round(ranked_fitted, 4),
                "dev_accuracy_at_1_reranked_cross_validated": round(ranked_held_out, 4),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"calibration written to {CALIBRATION_FILE}: {calibration}")
    print(f"dev decision accuracy: {fitted:.3f} fitted, {held_out:.3f} cross-validated ({FOLDS} folds)")
    print(
        f"dev accuracy@1 of the re-ranker: {ranked_fitted:.3f} fitted, {ranked_held_out:.3f} cross-validated"
    )


if __name__ == "__main__":
    main()
