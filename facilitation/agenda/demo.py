"""The demo training's agenda (Finnish), after the source guide's basic package
and its good practice: open with a pair discussion, work through practical
situations, leave room for questions. Legal facts carry their "as of" date."""

TOOLKIT = (
    "Kotoutuminen.fi https://kotoutuminen.fi\n"
    "InfoFinland https://www.infofinland.fi\n"
    "Maahanmuuttovirasto https://migri.fi\n"
    "Selkokieli (Papunet) https://papunet.net/selko"
)

STEPS = [
    {
        "kind": "info",
        "title": "Tervetuloa ja päivän tavoitteet",
        "minutes": 10,
        "content": "Kuka järjestää, mitä tänään tehdään ja miten kysymyksiä voi lähettää "
        "puhelimella nimettömänä.",
        "notes": "Esittele järjestäjät ja liittymiskoodi. Näytä liittymiskoodi valkokankaalla.",
    },
    {
        "kind": "self_assessment",
        "title": "Oma osaamiseni nyt",
        "minutes": 5,
        "content": "",
        "notes": "Sama arvio tehdään lopussa: yhteenveto näyttää muutoksen.",
    },
    {
        "kind": "pair_discussion",
        "title": "Pariskeskustelu: asiakaskohtaaminen, joka jäi mieleen",
        "minutes": 10,
        "content": "Keskustelkaa pareittain asiakaskohtaamisesta, joka jäi mieleenne. "
        "Mikä siinä oli vaikeaa, mikä onnistui?",
        "notes": "Kehota istumaan eri organisaation edustajan viereen: "
        "verkostoituminen alkaa tästä.",
    },
    {
        "kind": "info",
        "title": "Maahanmuutto Suomeen: tilastot ja historia lyhyesti",
        "minutes": 20,
        "content": "Vieraskielisiä oli vuoden 2024 lopussa yli 600 000 (10,8 %). Suurimmat "
        "kieliryhmät: venäjä, viro, arabia. Lähde: Tilastokeskus.",
        "links": "Tilastokeskus https://stat.fi/tilasto/vaerak",
    },
    {
        "kind": "info",
        "title": "Kulttuuritietoinen työote",
        "minutes": 25,
        "content": "Kulttuuri vaikuttaa myös työntekijään. Kohtaa ihminen yksilönä, ei "
        "kulttuurinsa edustajana. Kerro käytännöistä ääneen.",
    },
    {"kind": "break", "title": "Kahvitauko", "minutes": 15, "content": ""},
    {
        "kind": "info",
        "title": "Tulkin kanssa työskentely",
        "minutes": 20,
        "content": "Puhu asiakkaalle, älä tulkille. Lyhyet puheenvuorot, varaa kaksinkertainen "
        "aika. Älä käytä lapsia tai sukulaisia tulkkeina.",
    },
    {
        "kind": "case_stories",
        "title": "Tapausesimerkit: asiakastilanteita",
        "minutes": 20,
        "content": "Kirjoita nimettömänä asiakastilanne, josta haluat keskustella. "
        "Älä kirjoita nimiä tai muita tunnistetietoja.",
    },
    {
        "kind": "practical_situation",
        "title": "Käytännön tilanne: miten toimisit?",
        "minutes": 10,
        "content": "Asiakas tulee vastaanotolle 12-vuotiaan lapsensa kanssa ja toivoo, että "
        "lapsi tulkkaa. Tulkkia ei ole varattu.",
        "poll": {
            "kind": "single",
            "question": "Miten toimisit?",
            "options_text": "Lapsi saa tulkata tämän kerran\nVaraan puhelintulkin heti\n"
            "Siirrän tapaamisen ja varaan tulkin",
            "hide_results": True,
        },
    },
    {
        "kind": "info",
        "title": "Kotoutumislaki ja kotoutumispalvelut",
        "minutes": 20,
        "content": "Laki kotoutumisen edistämisestä (681/2023) tuli voimaan 1.1.2025; "
        "kunnat vastaavat kotoutumisen edistämisestä (tilanne 2026).",
        "links": "Finlex: 681/2023 https://finlex.fi/fi/lainsaadanto/2023/681",
    },
    {"kind": "questions", "title": "Kysymykset ja keskustelu", "minutes": 15, "content": ""},
    {
        "kind": "self_assessment",
        "title": "Oma osaamiseni koulutuksen jälkeen",
        "minutes": 5,
        "content": "",
        "notes": "Samat väittämät kuin alussa: älä muuta niitä.",
    },
    {
        "kind": "feedback",
        "title": "Palaute ja lopetus",
        "minutes": 10,
        "content": "Kiitos osallistumisesta! Työkalupakin linkit jäävät puhelimeesi.",
        "links": TOOLKIT,
    },
]


def seed(live) -> None:
    """Add the demo agenda (with its polls) to a session."""
    from ..modules.services import add_entries

    add_entries(live, STEPS)
