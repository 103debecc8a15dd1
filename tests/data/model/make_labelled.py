"""Writes the labelled sets the classifier tests train and evaluate on (run by hand, output committed).

Assistant-style sentences in German, French, Spanish, Polish and English, written by us: the
same request phrased formally (Sie, vous, usted, Pan/Pani) and informally (du, tu, tú, ty),
sentences that address nobody (register ``none``), and offensive ones (mild profanity and
insults, formal and informal, so that "offensive" is not a proxy for register). Slots (times,
days, cities, items, names) are filled from two disjoint pools: ``labelled.jsonl`` is the
training set, ``heldout.jsonl`` uses only values the training set never contains (and
leaves out the few slot-less sentences the training set already has).

Rows follow the schema ``locale-guard review export`` writes: ``text``, ``locale``,
``label_offensive``, ``label_register`` plus some of the optional review columns, and some
rows carry one label only, as adjudications often do.

    python tests/data/model/make_labelled.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (template, offensive, register) per locale; register None = not judged
PAIRS: dict[str, list[tuple[str, str]]] = {
    "de-DE": [
        ("Möchten Sie, dass ich einen Wecker für {time} stelle?", "Möchtest du, dass ich einen Wecker für {time} stelle?"),
        ("Ich habe Ihren Termin am {day} eingetragen.", "Ich habe deinen Termin am {day} eingetragen."),
        ("Können Sie das bitte wiederholen?", "Kannst du das bitte wiederholen?"),
        ("Soll ich Ihnen das Wetter für {city} vorlesen?", "Soll ich dir das Wetter für {city} vorlesen?"),
        ("Haben Sie {item} schon auf Ihre Einkaufsliste gesetzt?", "Hast du {item} schon auf deine Einkaufsliste gesetzt?"),
        ("Wie kann ich Ihnen heute helfen?", "Wie kann ich dir heute helfen?"),
        ("Sie haben eine neue Nachricht von {name}.", "Du hast eine neue Nachricht von {name}."),
        ("Danke für Ihre Geduld, {name}.", "Danke für deine Geduld, {name}."),
        ("Bitte bestätigen Sie die Bestellung von {item}.", "Bitte bestätige die Bestellung von {item}."),
        ("Wollen Sie {name} jetzt anrufen?", "Willst du {name} jetzt anrufen?"),
    ],
    "fr-FR": [
        ("Voulez-vous que je règle un réveil pour {time} ?", "Veux-tu que je règle un réveil pour {time} ?"),
        ("J'ai ajouté votre rendez-vous de {day}.", "J'ai ajouté ton rendez-vous de {day}."),
        ("Pouvez-vous répéter, s'il vous plaît ?", "Peux-tu répéter, s'il te plaît ?"),
        ("Voulez-vous la météo pour {city} ?", "Veux-tu la météo pour {city} ?"),
        ("Avez-vous ajouté {item} à votre liste de courses ?", "As-tu ajouté {item} à ta liste de courses ?"),
        ("Comment puis-je vous aider aujourd'hui ?", "Comment puis-je t'aider aujourd'hui ?"),
        ("Vous avez un nouveau message de {name}.", "Tu as un nouveau message de {name}."),
        ("Merci pour votre patience, {name}.", "Merci pour ta patience, {name}."),
        ("Veuillez confirmer la commande de {item}.", "Confirme la commande de {item}, s'il te plaît."),
        ("Souhaitez-vous appeler {name} maintenant ?", "Tu veux appeler {name} maintenant ?"),
    ],
    "es-ES": [
        ("¿Quiere que ponga una alarma para las {time}?", "¿Quieres que ponga una alarma para las {time}?"),
        ("He añadido su cita del {day}.", "He añadido tu cita del {day}."),
        ("¿Puede repetirlo, por favor?", "¿Puedes repetirlo, por favor?"),
        ("¿Desea usted el tiempo para {city}?", "¿Quieres el tiempo para {city}?"),
        ("¿Ha añadido {item} a su lista de la compra?", "¿Has añadido {item} a tu lista de la compra?"),
        ("¿En qué puedo ayudarle hoy?", "¿En qué puedo ayudarte hoy?"),
        ("Usted tiene un mensaje nuevo de {name}.", "Tienes un mensaje nuevo de {name}."),
        ("Gracias por su paciencia, {name}.", "Gracias por tu paciencia, {name}."),
        ("Por favor, confirme el pedido de {item}.", "Por favor, confirma el pedido de {item}."),
        ("¿Quiere llamar a {name} ahora?", "¿Quieres llamar a {name} ahora?"),
    ],
    "pl-PL": [
        ("Czy Pan chce, żebym ustawił budzik na {time}?", "Czy chcesz, żebym ustawił budzik na {time}?"),
        ("Dodałem Pana spotkanie na {day}.", "Dodałem twoje spotkanie na {day}."),
        ("Czy może Pani powtórzyć?", "Czy możesz powtórzyć?"),
        ("Czy mam przeczytać Panu pogodę dla miasta {city}?", "Czy mam ci przeczytać pogodę dla miasta {city}?"),
        ("Czy dodała Pani {item} do listy zakupów?", "Czy dodałeś {item} do listy zakupów?"),
        ("W czym mogę Panu dzisiaj pomóc?", "W czym mogę ci dzisiaj pomóc?"),
        ("Ma Pan nową wiadomość od {name}.", "Masz nową wiadomość od {name}."),
        ("Dziękuję Pani za cierpliwość, {name}.", "Dzięki za twoją cierpliwość, {name}."),
        ("Proszę potwierdzić zamówienie: {item}.", "Potwierdź zamówienie: {item}."),
        ("Czy chce Pan teraz zadzwonić do {name}?", "Chcesz teraz zadzwonić do {name}?"),
    ],
}

NEUTRAL: dict[str, list[str]] = {
    "de-DE": [
        "In {city} sind es morgen 18 Grad und sonnig.", "Der Wecker ist auf {time} gestellt.",
        "{item} steht jetzt auf der Einkaufsliste.", "Der nächste Zug nach {city} fährt um {time}.",
        "Das Licht im Wohnzimmer ist aus.", "Der Termin mit {name} ist am {day}.", "Es regnet gerade in {city}.",
    ],
    "fr-FR": [
        "Il fera 18 degrés demain à {city}.", "Le réveil est réglé sur {time}.",
        "{item} est sur la liste de courses.", "Le prochain train pour {city} part à {time}.",
        "La lumière du salon est éteinte.", "Le rendez-vous avec {name} est {day}.", "Il pleut à {city} en ce moment.",
    ],
    "es-ES": [
        "Mañana hará 18 grados en {city}.", "La alarma está puesta para las {time}.",
        "{item} está en la lista de la compra.", "El próximo tren a {city} sale a las {time}.",
        "La luz del salón está apagada.", "La cita con {name} es el {day}.", "Está lloviendo en {city}.",
    ],
    "pl-PL": [
        "Jutro w mieście {city} będzie 18 stopni.", "Budzik jest ustawiony na {time}.",
        "{item} jest na liście zakupów.", "Następny pociąg do {city} odjeżdża o {time}.",
        "Światło w salonie jest wyłączone.", "Spotkanie z {name} jest w {day}.", "W mieście {city} pada deszcz.",
    ],
    "en-US": [
        "Do you want me to set an alarm for {time}?", "I added your appointment on {day}.",
        "Could you repeat that, please?", "Here is the weather for {city}.",
        "Did you add {item} to your shopping list?", "How can I help you today?",
        "You have a new message from {name}.", "Thanks for your patience, {name}.",
        "The next train to {city} leaves at {time}.", "The living room light is off.",
    ],
}

# offensive sentences with the register they are in (None: addresses nobody → "none")
OFFENSIVE: dict[str, list[tuple[str, str]]] = {
    "de-DE": [
        ("Halt die Klappe, du Idiot, der Wecker klingelt um {time}.", "informal"),
        ("So ein Scheiß, in {city} regnet es schon wieder.", "none"),
        ("Das ist eine verdammt blöde Frage, {name}.", "none"),
        ("Du bist echt zu dämlich, um {item} zu kaufen.", "informal"),
        ("Sie sind ein Vollidiot, wenn Sie {name} nicht anrufen.", "formal"),
        ("Was für ein Mist, der Termin am {day} fällt aus.", "none"),
        ("Verpiss dich, ich stelle keinen Wecker für {time}.", "informal"),
    ],
    "fr-FR": [
        ("Ferme-la, espèce d'idiot, le réveil sonne à {time}.", "informal"),
        ("C'est de la merde, il pleut encore à {city}.", "none"),
        ("Quelle question débile, putain, {name}.", "none"),
        ("T'es vraiment trop con pour acheter {item}.", "informal"),
        ("Vous êtes un crétin si vous n'appelez pas {name}.", "formal"),
        ("Fait chier, le rendez-vous de {day} est annulé.", "none"),
        ("Dégage, je ne règle pas de réveil pour {time}.", "informal"),
    ],
    "es-ES": [
        ("Cállate, idiota, la alarma suena a las {time}.", "informal"),
        ("Qué mierda, otra vez llueve en {city}.", "none"),
        ("Qué pregunta más estúpida, joder, {name}.", "none"),
        ("Eres demasiado imbécil para comprar {item}.", "informal"),
        ("Usted es un imbécil si no llama a {name}.", "formal"),
        ("Maldita sea, la cita del {day} se ha cancelado.", "none"),
        ("Vete a la mierda, no pongo ninguna alarma para las {time}.", "informal"),
    ],
    "pl-PL": [
        ("Zamknij się, idioto, budzik dzwoni o {time}.", "informal"),
        ("Cholera jasna, znowu pada w mieście {city}.", "none"),
        ("Co za głupie pytanie, do diabła, {name}.", "none"),
        ("Jesteś za głupi, żeby kupić {item}.", "informal"),
        ("Jest Pan idiotą, jeśli nie zadzwoni Pan do {name}.", "formal"),
        ("Kurde, spotkanie na {day} jest odwołane.", "none"),
        ("Spadaj, nie ustawię budzika na {time}.", "informal"),
    ],
    "en-US": [
        ("Shut up, you idiot, the alarm rings at {time}.", "none"),
        ("What a load of crap, it is raining in {city} again.", "none"),
        ("That is a damn stupid question, {name}.", "none"),
        ("You are too dumb to buy {item}.", "none"),
        ("Piss off, I am not setting an alarm for {time}.", "none"),
        ("Bloody hell, the meeting on {day} is cancelled.", "none"),
    ],
}

# two disjoint pools per slot: index 0 for training, 1 for the held-out set
SLOTS: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "de-DE": {
        "time": (["7 Uhr", "halb acht", "6:45"], ["8 Uhr", "viertel nach neun"]),
        "day": (["Montag", "Mittwoch", "Freitag"], ["Dienstag", "Samstag"]),
        "city": (["Berlin", "Hamburg", "Köln"], ["München", "Leipzig"]),
        "item": (["Milch", "Brot", "Kaffee"], ["Butter", "Äpfel"]),
        "name": (["Anna", "Jonas", "Oma"], ["Lukas", "Frau Meier"]),
    },
    "fr-FR": {
        "time": (["7 heures", "7 h 30", "6 h 45"], ["8 heures", "9 h 15"]),
        "day": (["lundi", "mercredi", "vendredi"], ["mardi", "samedi"]),
        "city": (["Paris", "Lyon", "Lille"], ["Marseille", "Nantes"]),
        "item": (["du lait", "du pain", "du café"], ["du beurre", "des pommes"]),
        "name": (["Claire", "Louis", "Mamie"], ["Hugo", "Madame Martin"]),
    },
    "es-ES": {
        "time": (["siete", "siete y media", "seis y cuarto"], ["ocho", "nueve y cuarto"]),
        "day": (["lunes", "miércoles", "viernes"], ["martes", "sábado"]),
        "city": (["Madrid", "Sevilla", "Valencia"], ["Barcelona", "Bilbao"]),
        "item": (["leche", "pan", "café"], ["mantequilla", "manzanas"]),
        "name": (["Lucía", "Pablo", "la abuela"], ["Javier", "la señora García"]),
    },
    "pl-PL": {
        "time": (["siódmą", "wpół do ósmej", "szóstą"], ["ósmą", "dziewiątą"]),
        "day": (["poniedziałek", "środę", "piątek"], ["wtorek", "sobotę"]),
        "city": (["Warszawa", "Kraków", "Gdańsk"], ["Wrocław", "Poznań"]),
        "item": (["mleko", "chleb", "kawę"], ["masło", "jabłka"]),
        "name": (["Anią", "Tomkiem", "babcią"], ["Piotrem", "panią Kowalską"]),
    },
    "en-US": {
        "time": (["7 am", "half past seven", "6:45"], ["8 am", "quarter past nine"]),
        "day": (["Monday", "Wednesday", "Friday"], ["Tuesday", "Saturday"]),
        "city": (["Boston", "Denver", "Chicago"], ["Seattle", "Austin"]),
        "item": (["milk", "bread", "coffee"], ["butter", "apples"]),
        "name": (["Emma", "Noah", "Grandma"], ["Liam", "Mrs. Smith"]),
    },
}


def fills(template: str, locale: str, pool: int, rng: random.Random, n: int) -> list[str]:
    """Up to n distinct fillings of a template from the given slot pool."""
    out: list[str] = []
    for _ in range(n * 4):
        values = {slot: rng.choice(SLOTS[locale][slot][pool]) for slot in SLOTS[locale]}
        text = template.format(**values)
        text = text[0].upper() + text[1:]
        if text not in out:
            out.append(text)
        if len(out) == n:
            break
    return out


def build(pool: int, seed: int, per_template: int, exclude: frozenset[str] = frozenset()) -> list[dict]:
    """Rows from every template; texts in ``exclude`` (the training set's) are left out."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for locale in SLOTS:
        items: list[tuple[str, int, str]] = []
        for formal, informal in PAIRS.get(locale, []):
            items += [(formal, 0, "formal"), (informal, 0, "informal")]
        items += [(t, 0, "none") for t in NEUTRAL[locale]]
        items += [(t, 1, reg) for t, reg in OFFENSIVE[locale]]
        for template, offensive, register in items:
            for text in fills(template, locale, pool, rng, per_template):
                if text in exclude:
                    continue
                rows.append({"text": text, "locale": locale, "label_offensive": offensive, "label_register": register})
    rng.shuffle(rows)
    for i, row in enumerate(rows):
        # as in real exports, some adjudications judged one thing only
        if i % 11 == 3:
            row["label_offensive"] = None
        elif i % 13 == 5:
            row["label_register"] = None
        if i % 4 == 0:  # optional review columns on some rows
            row.update(
                item_id=f"item-{pool}-{i}",
                check="offensive" if row["label_offensive"] else "formality",
                decision="confirmed",
                reviewer_count=2,
                gold=i % 8 == 0,
            )
    return rows


def main() -> None:
    seen: frozenset[str] = frozenset()
    for name, pool, seed, per in (("labelled.jsonl", 0, 7, 3), ("heldout.jsonl", 1, 11, 2)):
        rows = build(pool, seed, per, exclude=seen)
        seen = frozenset(row["text"] for row in rows)
        with (HERE / name).open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
