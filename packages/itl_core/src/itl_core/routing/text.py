"""Text normalisation for the routing rules: folding, words, light stemming, typo tolerance.

Customers write "Où est mon colis", "DELIVERIES", "custms clearence" and "wheres my parcel??";
an agent's keyword is written once ("deliver", "customs"). Both sides go through the same steps:

- ``fold``: Unicode compatibility form, accents dropped, case folded ("Où" -> "ou",
  "Straße" -> "strasse").
- ``words``: runs of letters and digits; punctuation and apostrophes separate words
  ("where's" -> "where", "s"; "ITL-123456" -> "itl", "123456").
- ``stem``: a light English suffix stripper (plurals, -ing, -ed, a final -e or consonant -y),
  so "delivered", "deliveries" and "delivery" all become "deliver". It only has to map a
  keyword and its inflections to the same string, not to produce real words.
- ``near``: one slip (a letter dropped, added or two swapped; a letter replaced in a long word)
  between words of five letters or more that start with the same letter ("shipmnet",
  "qoute", "custms"). Short words must match exactly: "truck" is not "track".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiou")
# Shortest word a typo is tolerated in, and the shortest in which a replaced letter is: a
# replaced letter turns too many short words into other real words ("export" / "expert").
_MIN_TYPO_LENGTH = 5
_MIN_REPLACED_LETTER_LENGTH = 7


# Function words of the languages customers write in: they carry no topic ("how do I ...").
STOP_WORDS = frozenset(
    "a an and are as at be but by can could do does for from had has have how i if in is it "
    "its me my no not of on or our so that the their them then there these they this to us "
    "was we were what when where which who why will with would you your s d ll m re t ve "
    "le la les l de du des d un une et ou pour avec est je vous nous mon ma mes a au aux en "
    "der die das den dem des ein eine einen und oder fur mit nach von ist ich sie wir mein "
    "meine bitte zu im am".split()
)


def fold(text: str) -> str:
    """``text`` without accents, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=16_384)
def stem(word: str) -> str:
    """A light stem of a folded word; words of three letters or fewer are kept whole."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "shipping" -> "shipp" -> "ship"
            break
    if len(word) > 3 and (word[-1] == "e" or (word[-1] == "y" and word[-2] not in _VOWELS)):
        word = word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Word:
    """A word as written (folded) and its stem."""

    form: str
    stem: str


def words(text: str) -> tuple[Word, ...]:
    """The words of ``text``, folded and stemmed, in order."""
    return tuple(Word(w, stem(w)) for w in _WORD.findall(fold(text)))


def near(a: str, b: str) -> bool:
    """Whether two different words are one slip apart (see the module docstring)."""
    if a == b or a[:1] != b[:1] or not (a.isalpha() and b.isalpha()):
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < _MIN_TYPO_LENGTH or len(long_) - len(short) > 1:
        return False
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    if len(short) < len(long_):  # one letter added or dropped
        return short[i:] == long_[i + 1 :]
    if short[i + 2 :] == long_[i + 2 :] and short[i : i + 2] == long_[i : i + 2][::-1]:
        return True  # two neighbouring letters swapped
    return len(short) >= _MIN_REPLACED_LETTER_LENGTH and short[i + 1 :] == long_[i + 1 :]
