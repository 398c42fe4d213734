"""The self-assessment statements shipped with the product, per language.

A self-assessment step shows its content lines as statements; a new step of
that kind starts with these in the training's language. The organisers may
edit them: the start and end answers are paired by statement text.
"""

DEFAULT_STATEMENTS = {
    "fi": (
        "Tiedän, mitkä palvelut tukevat kotoutumista kunnassani.",
        "Osaan työskennellä tulkin kanssa.",
        "Tiedän, mistä löydän lisätietoa ja materiaalia.",
        "Tunnen kotoutumislain ja kotoutumispalvelujen pääkohdat.",
        "Koen osaavani kohdata eri taustoista tulevia asiakkaita.",
    ),
    "sv": (
        "Jag vet vilka tjänster som stöder integrationen i min kommun.",
        "Jag kan arbeta med tolk.",
        "Jag vet var jag hittar mer information och material.",
        "Jag känner till huvuddragen i integrationslagen och integrationstjänsterna.",
        "Jag känner mig kapabel att möta klienter med olika bakgrund.",
    ),
    "en": (
        "I know which services support integration in my municipality.",
        "I can work with an interpreter.",
        "I know where to find further information and material.",
        "I know the main points of the integration act and integration services.",
        "I feel able to meet clients from different backgrounds.",
    ),
}


def default_statements(language: str) -> str:
    """The shipped statements as a step's content, one per line."""
    return "\n".join(DEFAULT_STATEMENTS.get(language, DEFAULT_STATEMENTS["fi"]))
