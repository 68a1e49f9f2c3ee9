#!/usr/bin/python3
"""The oracle of KneserNeyModelTests: NLTK's KneserNeyInterpolated (Debian python3-nltk 3.8).

Prints P(w | context) for every character w of the alphabet and each context below, for
order 3 with discount 0.1 (NLTK's default) and order 4 with discount 0.75, fitted on TEXT.
TEXT is a string written twice: then every n-gram also occurs after some token, which is
where NLTK's variant (it counts a context's distinct followers from raw counts) and the
textbook one agree. Run: /usr/bin/python3 kn_nltk_oracle.py > values.txt
"""
from nltk.lm import KneserNeyInterpolated
from nltk.util import everygrams

HALF = "abacab dab cabbad acdc bad cab abba dacab cadd bab acab "
TEXT = HALF + HALF
ALPHABET = sorted(set(TEXT))
CONTEXTS = ["", "a", " ", "ab", "ca", "dd", "b a", "cab", "ddd", "dda", "bad"]

for order, discount in [(3, 0.1), (4, 0.75)]:
    lm = KneserNeyInterpolated(order, discount=discount)
    lm.fit([list(everygrams(list(TEXT), max_len=order))], vocabulary_text=list(TEXT))
    for context in CONTEXTS:
        c = tuple(context[-(order - 1):]) if context else None
        values = ", ".join(repr(lm.score(w, c)) for w in ALPHABET)
        print(f'({order}, {discount}, "{context}", [{values}]),')
