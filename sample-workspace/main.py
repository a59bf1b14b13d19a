"""Word statistics for a text file: a small program to type completions into."""

import sys
from collections import Counter


def read_words(path: str) -> list[str]:
    """Return the lower-cased words of a file, punctuation stripped."""
    with open(path, encoding="utf-8") as f:
        text = f.read().lower()
    return [w.strip(".,;:!?\"'()[]") for w in text.split() if w.strip(".,;:!?\"'()[]")]


def top_words(words: list[str], n: int = 10) -> list[tuple[str, int]]:
    """The n most common words with their counts."""
    return Counter(words).most_common(n)


def main() -> None:
    words = read_words(sys.argv[1])
    for word, count in top_words(words):
        print(f"{count:6d}  {word}")


if __name__ == "__main__":
    main()
