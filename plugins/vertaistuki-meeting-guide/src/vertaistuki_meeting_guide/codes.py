"""Meeting Guide type codes and how they correspond to vertaistuki's fields.

The codes are those of the Meeting Guide specification (code4recovery/spec, "Meeting
Types"). Only codes with a faithful counterpart in our model are listed; every other
code is reported on import and cannot be produced on export.
"""

from __future__ import annotations

OPEN, CLOSED = "O", "C"
ONLINE = "ONL"  # 12 Step Meeting List's marker for an online meeting
TEMPORARILY_CLOSED = "TC"  # "Location Temporarily Closed"
WHEELCHAIR_ACCESS = "X"  # → Place.accessibility.step_free_entrance
ACCESSIBLE_TOILET = "XB"  # → Place.accessibility.accessible_toilet

#: Language types → BCP 47 tags (Group.languages). Sign languages have their own tags.
LANGUAGES: dict[str, str] = {
    "AF": "af", "AM": "am", "AR": "ar", "ASL": "ase", "BG": "bg", "DA": "da", "DE": "de",
    "EL": "el", "EN": "en", "FA": "fa", "FI": "fi", "FR": "fr", "HE": "he", "HI": "hi",
    "HR": "hr", "HU": "hu", "IS": "is", "ITA": "it", "JA": "ja", "KA": "ka", "KOR": "ko",
    "LT": "lt", "ML": "ml", "MT": "mt", "NE": "ne", "NL": "nl", "NO": "no", "POL": "pl",
    "POR": "pt", "PUN": "pa", "RUS": "ru", "S": "es", "SK": "sk", "SL": "sl", "SV": "sv",
    "TH": "th", "TL": "tl", "TUR": "tr", "UK": "uk",
    # proposed in the specification, already used by some feeds
    "QSL": "fcs", "RSL": "rsl",
}
LANGUAGE_CODES: dict[str, str] = {tag: code for code, tag in LANGUAGES.items()}

#: Types that say whom a meeting is for → audience vocabulary ids, with the labels
#: the source defines for them (fi, sv, en) unless a plugin already provides the term.
AUDIENCES: dict[str, str] = {
    "M": "men", "W": "women", "Y": "young-people", "SEN": "seniors", "LGBTQ": "lgbtq", "BE": "newcomers",
}
AUDIENCE_CODES: dict[str, str] = {term: code for code, term in AUDIENCES.items()}
AUDIENCE_LABELS: dict[str, tuple[str, str, str]] = {
    "men": ("Miehet", "Män", "Men"),
    "women": ("Naiset", "Kvinnor", "Women"),
    "young-people": ("Nuoret", "Unga", "Young people"),
    "seniors": ("Ikääntyneet", "Äldre", "Seniors"),
    "lgbtq": ("Sateenkaarihenkilöt", "HBTQI-personer", "LGBTQ+ people"),
    "newcomers": ("Uudet tulijat", "Nykomlingar", "Newcomers"),
}

#: Types that say what a meeting does → built-in activity vocabulary ids.
ACTIVITIES: dict[str, str] = {"D": "discussion", "OUT": "outdoor"}
ACTIVITY_CODES: dict[str, str] = {term: code for code, term in ACTIVITIES.items()}

#: The reason we give a suspension that the feed expressed only as TC / inactive.
TEMPORARILY_CLOSED_REASON = {
    "fi": "Kokoontumispaikka on tilapäisesti suljettu (Meeting Guide: TC).",
    "sv": "Mötesplatsen är tillfälligt stängd (Meeting Guide: TC).",
    "en": "The meeting place is temporarily closed (Meeting Guide: TC).",
}

#: Countries written in addresses that mean Finland, whose places our model holds
#: without a country field.
FINLAND = {"fi", "fin", "finland", "suomi", "finland (suomi)"}
#: Country names in addresses → ISO 3166 region codes for reading phone numbers.
COUNTRY_CODES = {
    "usa": "US", "us": "US", "united states": "US", "united states of america": "US",
    "canada": "CA", "ca": "CA", "finland": "FI", "suomi": "FI", "fi": "FI", "fin": "FI",
    "sweden": "SE", "sverige": "SE", "se": "SE", "uk": "GB", "united kingdom": "GB", "gb": "GB",
}
