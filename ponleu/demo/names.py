"""Common Khmer personal names with their usual romanisations, for synthetic people.

Family name first, as in Khmer. Every combination is fictional: these are common names, not
individuals. Each line of the tables below is the Khmer spelling, then one to three usual Latin
spellings separated by "|" (the first is the most usual). The demo world and the search benchmark
draw people from these lists; the benchmark also types the other spellings as queries.

``FAMILY_NAMES``, ``GIVEN_NAMES_FEMALE``, ``GIVEN_NAMES_MALE`` and ``NICKNAMES`` are lists of
(Khmer, usual Latin) pairs; ``ROMANISATIONS`` maps each Khmer spelling to all its Latin spellings.
"""

from __future__ import annotations

_FAMILY = """
សុខ Sok|Sokh
ចាន់ Chan|Chann
លី Ly|Lee|Li
ហេង Heng
គឹម Kim|Kem
សេង Seng
ម៉ៅ Mao|Mau
ពៅ Pov|Pao|Pou
យឹម Yim|Yem
ជា Chea|Chia
ឈឹម Chhim|Chim|Chhem
ខៀវ Khiev|Khieu
ទេព Tep|Teb
សៅ Sao|Sau
ព្រំ Prum|Prom
ឡុង Long
អ៊ុក Ouk|Uk
នួន Nuon|Noun
រស់ Ros|Ross
កែវ Keo|Kaev|Kev
ម៉ម Mom
ទូច Touch|Toch
មាស Meas|Mias
ប៊ុន Bun|Bunn|Boun
សួន Suon|Soun
ញឹម Nhem|Nhim
ហ៊ុន Hun|Hunn
សំ Sam|Som
សាយ Say|Sai
ឆាយ Chhay|Chay
អេង Eng
ហាក់ Hak
គង់ Kong
គុយ Kuy
លឹម Lim|Lem
មាន Mean|Mien
ង៉ែត Nget
នូ Nou|Nu
ប៉ែន Pen|Paen
ផល Phal|Phol
ពេជ្រ Pich|Pech
ប្រាក់ Prak
សាន San|Sann
ស៊ិន Sin
ស៊ុន Sun
តាន់ Tan
ថាច់ Thach|Tach
អ៊ុំ Um|Oum
យិន Yin|Yen
ឈុន Chhun|Chun
ខឹម Khem|Khim
ឡាយ Lay|Lai
ម៉ុក Mok
ស្វាយ Svay|Sway
ទិត្យ Tith|Tit
អ៊ុច Uch|Ouch
វង្ស Vong|Vongs
យស Yos
ហែម Hem|Haem
រិន Rin|Ren
"""

_FEMALE = """
សុភា Sophea|Sophia
ស្រីនាង Sreyneang|Sreineang|Srey Neang
បុប្ផា Bopha|Boppha
រតនា Ratana|Rattana|Rotana
ស្រីល័ក្ខ Sreyleak|Sreileak|Srey Leak
ស្រីពៅ Sreypov|Sreipov|Srey Pov
ធារី Theary|Thiary|Teary
ស្រីមុំ Sreymom|Sreimom|Srey Mom
សុគន្ធា Sokunthea|Sokonthea
ពិសី Pisey|Pisei
គន្ធា Kunthea|Konthea
ចិន្តា Chenda|Chinda
ដាវី Davy|Davi
នារី Neary|Nary
លីណា Lina|Leena
កញ្ញា Kanha|Kagna|Kanya
តារា Tara|Dara|Darah
ចាន់ធូ Chanthou|Chanthu
ស្រីណា Sreyna|Sreina
សុវណ្ណារី Sovannary|Sovanary
ម៉ាលីស Malis|Maliss
ចរិយា Chariya|Charya
សុធារី Sotheary|Sotheari
វណ្ណារី Vannary|Vanary
ធីតា Thida|Thyda
រស្មី Reaksmey|Raksmey|Rasmey
ចាន់ណារី Channary|Chanary
ផល្លា Phalla|Phala
ផល្លី Phally|Phaly
សុខលី Sokly|Sokhly
សុម៉ាលី Somaly|Somali
ម៉ូលីកា Molika|Mollika
រចនា Rachana|Rachna
ស្រីពេជ្រ Sreypich|Sreypech|Srey Pich
លក្ខិណា Leakhena|Leakena
កល្យាណ Kalyan|Kalyann
សុជាតា Socheata|Sochata
មាលា Mealea|Meala
ចាន់ធី Chanthy|Chanthi
ស្រីនី Sreyny|Sreini
ស្រីវី Sreyvy|Sreivy
គឹមលី Kimly|Kimlee
គឹមហួរ Kimhour|Kimhuor
លីហួរ Lyhour|Lihour
រ៉ានី Rany|Rani
ដាលីន Dalin|Daline
ស៊ីថា Sitha|Seytha
នីមល Nimol|Nimul
សុភី Sophy|Sophi
លីដា Lida|Leeda
ចន្ទ្រា Chantrea|Chantria
ស្រីអូន Sreyoun|Srey Oun
សុផានី Sophany|Sophani
ពន្លឺ Ponleu|Ponlue
សុខុម Sokhom|Sokom
ដានី Dany|Dani
ណាវី Navy|Navi
ម៉ានី Many|Mani
ស្រីមាស Sreymeas|Srey Meas
ស្រីរ័ត្ន Sreyroth|Sreyrath|Srey Roth
សុខណា Sokna|Sokhna
ស្រីលីន Sreylin|Srey Lin
សុចិន្តា Sochenda|Sochinda
នីតា Nita|Neeta
សាវី Savy|Savi
សុវណ្ណី Sovanny|Sovanni
រីណា Rina|Reena
ស្រីនិច Sreynich|Sreinich
ស្រីតូច Sreytouch|Srey Touch
សុខជា Sokchea|Sokhchea
ម៉ាលី Maly|Mali
ណាលី Naly|Nali
ស្រីស្រស់ Sreysros|Srey Sros
មុន្នីរ័ត្ន Monyrath|Monyroth
សុខលាភ Sokleap|Sok Leap
"""

_MALE = """
ដារ៉ា Dara|Darah
វណ្ណា Vanna|Vana|Wanna
ពិសិដ្ឋ Piseth|Pisith|Piset
សុខា Sokha|Sokhar
សុផល Sophal|Sophorl
វិចិត្រ Vichet|Vicheth|Vichit
បញ្ញា Panha|Pagna|Panya
មករា Makara|Makkara
រដ្ឋា Rotha|Ratha|Rattha
សំណាង Samnang|Somnang
សុវណ្ណ Sovann|Sovan|Sowann
វុទ្ធី Vuthy|Vutthy|Vuthi
ចន្ថា Chantha|Chanthea
សុវត្ថិ Sovath|Sovat
សម្បត្តិ Sambath|Sambat
វិសាល Visal|Visall
វាសនា Veasna|Visna
កុសល Kosal|Kusal
សុភ័ក្ត្រ Sopheak|Sophak
ធារ៉ា Theara|Thera
សុធា Sothea|Sotha
រិទ្ធី Rithy|Rithi
សុភាព Sopheap|Sophiap
ចាន់ថន Chanthorn|Chanthon
វិបុល Vibol|Vibul
ពន្លក Ponlok|Ponlork
មុន្នី Monny|Mony|Moni
ភក្តី Pheakdey|Pheakdei|Peakdey
សុវណ្ណារ៉ា Sovannara|Sovanara
ឧត្តម Oudom|Udom
បូរ៉ា Bora|Borah
ចំរើន Chamroeun|Chamreun
វឌ្ឍនា Vathana|Vatthana|Wathana
សុធី Sothy|Sothi
សេរី Serey|Serei
ផានិត Phanith|Phanit
សុផានិត Sophanith|Sophanit
ភារម្យ Phearum|Pheareum
ចាន់ដារ៉ា Chandara|Chan Dara
បុរី Borey|Borei
ណារ៉ុង Narong
វិសិដ្ឋ Viseth|Visith
គឹមហេង Kimheng|Kim Heng
សីហា Seyha|Sayha|Seiha
ម៉ានិត Manith|Manit
តុលា Tola|Tula
ចេស្តា Chesda|Chesta
ពុទ្ធី Puthy|Putthy
ធារិទ្ធ Thearith|Theareth
ប៊ុនណា Bunna|Bunnah
សោភ័ណ Sophorn|Sophon
សុខហេង Sokheng|Sok Heng
ដាវុធ Davuth|Davut
វីរៈ Vireak|Virak
រ៉ាវី Ravy|Ravi
រតនៈ Ratanak|Rattanak
សំអាត Samath|Samart
លីហេង Lyheng|Liheng
ណារិទ្ធ Narith|Nareth
សុខគឹម Sokkim|Sok Kim
វិទូ Vitou|Vithou
មង្គល Mongkol|Mongkul
ភិរម្យ Phirum|Pirum
ចាន់ណា Channa|Chana
វិជ្ជា Vichea|Vichia
ប៊ុនហេង Bunheng|Bun Heng
ភ័ក្ត្រ Pheak|Peak
វិមល Vimol|Vimul
ប៊ុនធឿន Bunthoeun|Bunthoeurn
ចាន់ធឿន Chanthoeun|Chanthoeurn
សំបូរ Sambo|Sambor
ពិសាល Pisal|Pisall
សុធារិទ្ធ Sotharith|Sothareth
វណ្ណៈ Vannak|Vanak
ប៊ុនថន Bunthorn|Bunthon
"""

_NICKNAMES = """
ពៅ Pov|Pao
តូច Touch|Toch
ធំ Thom|Thum
អូន Oun|Aun
ខ្មៅ Khmao|Kmao
មុំ Mom|Mum
"""


def _read(table: str) -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for line in table.strip().splitlines():
        khmer, latin = line.split(" ", 1)
        rows.append((khmer, tuple(latin.split("|"))))
    return rows


_TABLES = {name: _read(table) for name, table in (("family", _FAMILY), ("female", _FEMALE), ("male", _MALE))}
_NICKS = _read(_NICKNAMES)

FAMILY_NAMES = [(khmer, latin[0]) for khmer, latin in _TABLES["family"]]
GIVEN_NAMES_FEMALE = [(khmer, latin[0]) for khmer, latin in _TABLES["female"]]
GIVEN_NAMES_MALE = [(khmer, latin[0]) for khmer, latin in _TABLES["male"]]
NICKNAMES = [(khmer, latin[0]) for khmer, latin in _NICKS]

ROMANISATIONS: dict[str, tuple[str, ...]] = {}
for _rows in (*_TABLES.values(), _NICKS):
    for _khmer, _latin in _rows:
        ROMANISATIONS.setdefault(_khmer, _latin)
