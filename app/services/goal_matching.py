"""Suggest the area programme goals an application most likely serves (SPEC §7).

Plain word matching, no model: the advisor sees which of the application's own words
matched and decides. Application and goals are split into lower-case words (letters
only, so hyphens and digits split words), stop words and words under 3 letters are
dropped, and the rest is stemmed with the Snowball Dutch stemmer.

Compounds: Dutch writes compounds as one word with the head last, so a "buurtmoestuin"
is a kind of "moestuin". A word of 8 or more letters therefore also counts as every
stem of at least 5 letters that occurs elsewhere in the same call (application or
goals) and that the word or its stem ends with, as long as at least 3 letters remain
in front. "buurtmoestuin" thus matches a goal saying "moestuinen", and "moestuin"
matches a goal saying "buurtmoestuinen".

Known limits, visible to the advisor in the matched words: the stemmer gives "ouders"
(parents) and "ouderen" (the elderly) the same stem, and the compound rule can split
in the wrong place ("statushouders" ends with "ouder").

Score: the cosine similarity of TF-IDF vectors over the goals' vocabulary. A goal's
term frequency counts title words twice, both sides use 1 + ln(tf), and the inverse
document frequency is taken over the goals passed in, so a stem that only one goal
uses weighs more than one they all use.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_MATCHED_WORDS = 8
TITLE_WEIGHT = 2
MIN_WORD = 3
MIN_COMPOUND_WORD = 8
MIN_COMPOUND_PART = 5
MIN_COMPOUND_REST = 3

# Function words, plus filler that applications use without saying what they are about.
# "samen" is in half the seed applications and a third of the goals; keeping it changed
# no top suggestion there and only reshuffled lower places. Forms ask for planning, so
# "per jaar" and "elke week" would otherwise match a goal title like "na jaren van ...".
_STOP_WORDS = """
    aan al alle alles als andere bij daar daarom dan dat de deze die dit door dus een
    eens elk elke en er geen had heb hebben heeft hen het hier hij hoe hun iedereen
    iets ik in is je jij jullie kan kon kunnen maar me meer men met mij mijn moet
    moeten mogen na naar niet niets nog nu of om omdat ons onze ook op over per te
    tot u uit van veel voor waar wat we wel werd wie wij wil willen worden wordt zal
    ze zelfs zich zij zijn zo zodat zou zullen gaan gaat doen samen jaar jaren week
    weken maand maanden dag dagen keer
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile(r"[^\W\d_]+")
_STEMMER = snowballstemmer.stemmer("dutch")


@dataclass(frozen=True)
class GoalText:
    id: int
    title: str
    description: str


@dataclass(frozen=True)
class GoalSuggestion:
    goal_id: int
    score: float
    matched_words: tuple[str, ...]


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def _words(text: str) -> list[tuple[str, str]]:
    """(surface word, stem) for every content word of the text, in order."""
    words = (w for w in _WORD.findall(text.lower()) if len(w) >= MIN_WORD)
    return [(w, _stem(w)) for w in words if w not in STOP_WORDS]


def _with_compound_parts(words: list[tuple[str, str]], known: set[str]) -> list[tuple[str, str]]:
    out = []
    for surface, stem in words:
        out.append((surface, stem))
        if len(surface) < MIN_COMPOUND_WORD:
            continue
        parts = {
            form[start:]
            for form in (surface, stem)
            for start in range(MIN_COMPOUND_REST, len(form) - MIN_COMPOUND_PART + 1)
        }
        out.extend((surface, part) for part in sorted(parts & known) if part != stem)
    return out


def _log_tf(counts: Counter[str]) -> dict[str, float]:
    return {stem: 1 + math.log(n) for stem, n in counts.items()}


def _norm(values: Iterable[float]) -> float:
    return math.sqrt(math.fsum(v * v for v in values))


def suggest_goals(
    application_text: str, goals: Sequence[GoalText], limit: int = 3
) -> list[GoalSuggestion]:
    """The goals the application most likely serves, best first, at most `limit`."""
    if limit <= 0 or not goals:
        return []
    app_words = _words(application_text)
    goal_fields = [(_words(g.title), _words(g.description)) for g in goals]
    known = {stem for _, stem in app_words}
    for title, description in goal_fields:
        known.update(stem for _, stem in title + description)
    known = {stem for stem in known if len(stem) >= MIN_COMPOUND_PART}

    app_words = _with_compound_parts(app_words, known)
    goal_tfs = []
    for title, description in goal_fields:
        counts: Counter[str] = Counter()
        for _, stem in _with_compound_parts(title, known):
            counts[stem] += TITLE_WEIGHT
        for _, stem in _with_compound_parts(description, known):
            counts[stem] += 1
        goal_tfs.append(_log_tf(counts))

    document_frequency = Counter(stem for tf in goal_tfs for stem in tf)
    idf = {
        stem: 1 + math.log((1 + len(goals)) / (1 + df)) for stem, df in document_frequency.items()
    }
    app_counts = Counter(stem for _, stem in app_words if stem in idf)
    app_vector = {stem: w * idf[stem] for stem, w in _log_tf(app_counts).items()}
    app_norm = _norm(app_vector.values())
    if not app_norm:
        return []

    surfaces: dict[str, list[str]] = {}
    for surface, stem in app_words:
        forms = surfaces.setdefault(stem, [])
        if surface not in forms:
            forms.append(surface)
    first_seen = {stem: i for i, stem in reversed(list(enumerate(s for _, s in app_words)))}

    suggestions = []
    for goal, tf in zip(goals, goal_tfs, strict=True):
        goal_vector = {stem: w * idf[stem] for stem, w in tf.items()}
        contributions = {
            stem: app_vector[stem] * weight
            for stem, weight in goal_vector.items()
            if stem in app_vector
        }
        if not contributions:
            continue
        score = math.fsum(contributions.values()) / (app_norm * _norm(goal_vector.values()))
        ranked = sorted(contributions, key=lambda s: (-contributions[s], first_seen[s]))
        matched = list(dict.fromkeys(form for stem in ranked for form in surfaces[stem]))
        suggestions.append(
            GoalSuggestion(
                goal_id=goal.id,
                score=round(min(score, 1.0), 6),
                matched_words=tuple(matched[:MAX_MATCHED_WORDS]),
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.goal_id))
    return suggestions[:limit]
