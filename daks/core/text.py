import re

from django.utils.text import slugify

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slugify(value: str, *, max_length: int = 60) -> str:
    """``"Münster (Westf.)"`` → ``"muenster-westf"``."""
    slug = slugify(value.translate(_TRANSLITERATION))
    return re.sub(r"-+", "-", slug)[:max_length].strip("-")
