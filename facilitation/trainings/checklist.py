"""The source guide's four planning tasks, split into concrete sub-tasks.

Stored as data in the three languages; a new training gets them in its own
language. Each entry: (area, {lang: title}, [{lang: sub-task title}, ...]).
"""

CHECKLIST = [
    (
        "date_venue",
        {
            "fi": "Päivämäärä, tila ja kahvitus",
            "sv": "Datum, lokal och kaffe",
            "en": "Date, venue and coffee",
        },
        [
            {
                "fi": "Sovi päivämäärä ja kellonajat kumppanien kanssa",
                "sv": "Kom överens om datum och tider med partnerna",
                "en": "Agree the date and times with the partners",
            },
            {
                "fi": "Varaa koulutustila (esteettömyys, tekniikka)",
                "sv": "Boka lokalen (tillgänglighet, teknik)",
                "en": "Book the venue (accessibility, equipment)",
            },
            {
                "fi": "Tilaa kahvitus ilmoittautuneiden ja ruokavalioiden mukaan",
                "sv": "Beställ kaffe enligt anmälningar och specialdieter",
                "en": "Order the coffee by registrations and dietary needs",
            },
        ],
    ),
    (
        "costs_roles",
        {
            "fi": "Kustannusten jako ja työnjako",
            "sv": "Kostnadsfördelning och arbetsfördelning",
            "en": "Cost sharing and division of work",
        },
        [
            {
                "fi": "Sovi, miten tila-, kahvi- ja puhujakulut jaetaan",
                "sv": "Kom överens om hur lokal-, kaffe- och talarkostnader delas",
                "en": "Agree how venue, coffee and speaker costs are shared",
            },
            {
                "fi": "Sovi, kuka vastaa mistäkin tehtävästä",
                "sv": "Kom överens om vem som ansvarar för vad",
                "en": "Agree who is responsible for what",
            },
            {
                "fi": "Sovi laskutus ja maksaja",
                "sv": "Kom överens om fakturering och betalare",
                "en": "Agree invoicing and who pays",
            },
        ],
    ),
    (
        "content_speakers",
        {"fi": "Sisältö ja puhujat", "sv": "Innehåll och talare", "en": "Content and speakers"},
        [
            {
                "fi": "Rajaa sisältö kohderyhmän mukaan",
                "sv": "Avgränsa innehållet enligt målgruppen",
                "en": "Scope the content to the target group",
            },
            {
                "fi": "Kutsu puhujat ja sovi palkkiot ja matkat",
                "sv": "Bjud in talarna och kom överens om arvoden och resor",
                "en": "Invite the speakers and agree fees and travel",
            },
            {
                "fi": "Suunnittele keskustelut ja käytännön esimerkit",
                "sv": "Planera diskussioner och praktiska exempel",
                "en": "Plan the discussions and practical examples",
            },
        ],
    ),
    (
        "invitations",
        {
            "fi": "Kutsut ja ilmoittautumiset",
            "sv": "Inbjudningar och anmälningar",
            "en": "Invitations and registrations",
        },
        [
            {"fi": "Kirjoita kutsuteksti", "sv": "Skriv inbjudan", "en": "Write the invitation"},
            {
                "fi": "Lähetä kutsu kohderyhmille",
                "sv": "Skicka inbjudan till målgrupperna",
                "en": "Send the invitation to the target groups",
            },
            {
                "fi": "Seuraa ilmoittautumisia ja lähetä muistutus",
                "sv": "Följ anmälningarna och skicka en påminnelse",
                "en": "Follow the registrations and send a reminder",
            },
        ],
    ),
]
