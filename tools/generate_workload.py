#!/usr/bin/env python3
"""Deterministic workload generator for Parley: a year of customer-support traffic as JSON Lines.

Usage:
    python3 tools/generate_workload.py --events N [--seed S] [--start 2025-01-06] [--days 365]
                                       [--out FILE] [--stats]

Writes exactly N events, one JSON object per line (see docs/EVENTS.md), in log order: sorted by
arrival time, which is the event time `at` except for a small share (~1.5% of messages) of
late-arriving emails whose `at` lies minutes to hours before the events logged just before them.
A late email never goes back past an earlier event of its own conversation, so within one
conversation `at` order and log order agree. The arrival rate is set so that the N-th event falls
near the end of the --days span (within a few days); the run simply stops at exactly N events,
leaving the episodes then in flight open.

The output is a pure function of (N, seed, start, days): the same bytes on every run and machine.
Only seeded `random.Random` draws and integer / basic IEEE float arithmetic feed it (exp is computed
here by a polynomial, sqrt and ldexp are exact or correctly rounded; no other libm function, no
clock, no hash-order dependence).

The simulation is a discrete-event one: each conversation is a generator that plans one episode at
a time (message(s) -> auto-ack -> assignment -> category -> replies -> pending -> resolved, then
maybe a reopen) and yields its events; a heap ordered by arrival time merges them. New episodes are
scheduled day by day, so memory holds only the conversations in flight plus a bounded pool of past
customers, whatever N is.

Realism knobs (all fixed; see the constants below): business hours and holidays of the SLA policy in
force (Europe/Paris), weekday and seasonal rhythm, 3-5 "tsunami" days with 5-10x the normal volume,
per-channel habits (email auto-ack + slow replies, chat bot + fast agents, short messaging bodies),
multi-channel customers with customer_linked events, ~21 agents in 5 teams, reassignments,
unassignments, notes, reopens, episodes resolved without a reply, episodes still open at the end,
bodies from 20 bytes to 60 KiB with Unicode and characters that need JSON escaping.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as _dt
import gc
import heapq
import json
import math
import os
import random
import sys
import unicodedata

# ---------------------------------------------------------------------------------------------
# Time: internal times are integers, microseconds since the Unix epoch (UTC).

SEC = 1_000_000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR
EPOCH_ORD = _dt.date(1970, 1, 1).toordinal()

_LN2 = 0.6931471805599453


def dexp(x: float) -> float:
    """exp(x) with basic IEEE arithmetic only, so results are identical on every platform."""
    k = int(x / _LN2 + (0.5 if x >= 0 else -0.5))
    r = x - k * _LN2
    s = 1.0 + r * (1.0 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (
        1 / 5040 + r * (1 / 40320 + r * (1 / 362880 + r / 3628800)))))))))
    return math.ldexp(s, k)  # exact scaling by a power of two


def epoch_day(d: _dt.date) -> int:
    return d.toordinal() - EPOCH_ORD


def date_of(day: int) -> _dt.date:
    return _dt.date.fromordinal(day + EPOCH_ORD)


def _last_sunday(year: int, month: int) -> int:
    """Epoch day of the last Sunday of `month`."""
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    d = nxt - _dt.timedelta(days=1)
    return epoch_day(d) - (d.weekday() + 1) % 7


def _nth_sunday(year: int, month: int, n: int) -> int:
    d = _dt.date(year, month, 1)
    first = epoch_day(d) + (6 - d.weekday()) % 7
    return first + 7 * (n - 1)


class Zones:
    """UTC offsets (minutes) of Europe/Paris and America/New_York, with their real DST rules."""

    def __init__(self, y0: int, y1: int):
        self.eu: list[int] = []
        self.us: list[int] = []
        for y in range(y0, y1 + 1):
            # EU: last Sunday of March 01:00 UTC .. last Sunday of October 01:00 UTC.
            self.eu += [_last_sunday(y, 3) * DAY + HOUR, _last_sunday(y, 10) * DAY + HOUR]
            # US: second Sunday of March 07:00 UTC .. first Sunday of November 06:00 UTC.
            self.us += [_nth_sunday(y, 3, 2) * DAY + 7 * HOUR, _nth_sunday(y, 11, 1) * DAY + 6 * HOUR]

    def paris(self, t: int) -> int:
        return 120 if bisect.bisect_right(self.eu, t) & 1 else 60

    def ny(self, t: int) -> int:
        return -240 if bisect.bisect_right(self.us, t) & 1 else -300


_HM = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
_SS = [f"{s:02d}" for s in range(60)]
_MS = [f".{i:03d}" for i in range(1000)]
_OFFS = {0: "Z", 60: "+01:00", 120: "+02:00", -300: "-05:00", -240: "-04:00"}
_DATES: dict[int, str] = {}


def fmt_time(t: int, off: int, prec: int) -> str:
    """RFC 3339 text of instant `t` (µs) written in UTC offset `off` (minutes) with `prec`
    fractional digits (0, 3 or 6). `t` must already be a multiple of the precision."""
    s, us = divmod(t + off * MIN, SEC)
    day, sod = divmod(s, 86400)
    ds = _DATES.get(day)
    if ds is None:
        ds = _DATES[day] = date_of(day).isoformat() + "T"
    if prec == 0:
        return ds + _HM[sod // 60] + _SS[sod % 60] + _OFFS[off]
    if prec == 3:
        return ds + _HM[sod // 60] + _SS[sod % 60] + _MS[us // 1000] + _OFFS[off]
    return ds + _HM[sod // 60] + _SS[sod % 60] + f".{us:06d}" + _OFFS[off]


def ceil_s(t: int) -> int:
    return -((-t) // SEC) * SEC


def ceil_ms(t: int) -> int:
    return -((-t) // 1000) * 1000


# ---------------------------------------------------------------------------------------------
# Calendar and SLA policies.


def easter(year: int) -> _dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return _dt.date(year, month, day + 1)


def french_holidays(year: int) -> list[str]:
    e = easter(year)
    days = [
        _dt.date(year, 1, 1), e + _dt.timedelta(days=1), _dt.date(year, 5, 1), _dt.date(year, 5, 8),
        e + _dt.timedelta(days=39), e + _dt.timedelta(days=50), _dt.date(year, 7, 14),
        _dt.date(year, 8, 15), _dt.date(year, 11, 1), _dt.date(year, 11, 11), _dt.date(year, 12, 25),
    ]
    return sorted(d.isoformat() for d in days)


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _hours(week: list, sat: list, sun: list) -> dict:
    h = {d: [list(x) for x in week] for d in WEEKDAYS[:5]}
    h["sat"] = [list(x) for x in sat]
    h["sun"] = [list(x) for x in sun]
    return h


def _targets(u, h, n, lo) -> dict:
    return {
        "urgent": {"first_response": u[0], "resolution": u[1]},
        "high": {"first_response": h[0], "resolution": h[1]},
        "normal": {"first_response": n[0], "resolution": n[1]},
        "low": {"first_response": lo[0], "resolution": lo[1]},
    }


def build_policies(start_day: int, days: int) -> list[tuple[int, dict]]:
    """(local epoch day it takes effect, policy object), in order."""
    y0 = date_of(start_day).year
    y1 = date_of(start_day + days + 60).year
    hol = [d for y in range(y0, y1 + 1) for d in french_holidays(y)]
    std_hours = _hours([("09:00", "12:30"), ("13:30", "18:00")], [], [])
    ext_hours = _hours([("08:30", "19:00")], [("10:00", "13:00")], [])
    summer_hours = _hours([("09:00", "17:00")], [], [])
    peak_hours = _hours([("08:00", "20:00")], [("09:00", "17:00")], [("10:00", "16:00")])
    base_t = _targets((30, 240), (60, 480), (240, 1440), (480, 2880))
    versions = [
        (0.0, {"name": "standard", "version": 1, "time_zone": "Europe/Paris", "hours": std_hours,
               "holidays": hol, "targets": base_t}),
        (0.21, {"name": "extended", "version": 2, "time_zone": "Europe/Paris", "hours": ext_hours,
                "holidays": hol, "targets": base_t}),
        (0.49, {"name": "summer", "version": 3, "time_zone": "Europe/Paris", "hours": summer_hours,
                "holidays": hol,
                "targets": _targets((30, 240), (90, 600), (480, 2880), (960, 4320))}),
        (0.66, {"name": "extended", "version": 4, "time_zone": "Europe/Paris", "hours": ext_hours,
                "holidays": hol, "targets": _targets((15, 180), (45, 360), (180, 1440), (480, 2880)),
                "pause_when_pending": True}),
        (0.88, {"name": "peak-season", "version": 5, "time_zone": "Europe/Paris", "hours": peak_hours,
                "holidays": hol, "targets": _targets((15, 180), (45, 360), (240, 1440), (600, 4320)),
                "pause_when_pending": True}),
    ]
    out: list[tuple[int, dict]] = []
    for frac, pol in versions:
        d = start_day + int(days * frac + 0.5)
        if out and (days < 28 or d < out[-1][0] + 7):
            continue  # short spans keep one policy; changes are at least a week apart
        out.append((d, pol))
    return out


FULL_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def policy_json(pol: dict) -> dict:
    """The policy as `parley policy set` takes it (docs/PROJECTIONS.md, "SLA policies")."""
    hours = {full: [f"{a}-{b}" for a, b in pol["hours"][short]]
             for short, full in zip(WEEKDAYS, FULL_WEEKDAYS) if pol["hours"][short]}
    return {"name": f"{pol['name']} v{pol['version']}", "time_zone": pol["time_zone"],
            "business_hours": hours, "holidays": pol["holidays"], "targets": pol["targets"]}


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


class Calendar:
    """Staff working window of each local (Europe/Paris) day, from the policy in force that day."""

    def __init__(self, zones: Zones, policies: list[tuple[int, dict]]):
        self.zones = zones
        self.days = [d for d, _ in policies]
        self.pols = []
        for _, p in policies:
            wins = []
            for wd in WEEKDAYS:
                iv = p["hours"][wd]
                wins.append((_minutes(iv[0][0]) * MIN, _minutes(iv[-1][1]) * MIN) if iv else None)
            self.pols.append((wins, frozenset(p["holidays"])))
        self.cache: dict[int, tuple[int, int] | None] = {}

    def window(self, lday: int):
        w = self.cache.get(lday, 0)
        if w == 0:
            i = max(0, bisect.bisect_right(self.days, lday) - 1)
            wins, hol = self.pols[i]
            d = date_of(lday)
            w = None if d.isoformat() in hol else wins[d.weekday()]
            self.cache[lday] = w
        return w

    def holiday(self, lday: int) -> bool:
        i = max(0, bisect.bisect_right(self.days, lday) - 1)
        return date_of(lday).isoformat() in self.pols[i][1]

    def is_open(self, t: int) -> bool:
        lt = t + self.zones.paris(t) * MIN
        lday = lt // DAY
        w = self.window(lday)
        if not w:
            return False
        sod = lt - lday * DAY
        return w[0] <= sod < w[1]

    def add(self, t: int, d: int) -> int:
        """The instant after `d` µs of staff working time have passed from `t`."""
        paris = self.zones.paris
        while True:
            off = paris(t) * MIN
            lt = t + off
            lday = lt // DAY
            w = self.window(lday)
            if w:
                o, c = w
                sod = lt - lday * DAY
                if sod < o:
                    sod = o
                if sod < c:
                    if d <= c - sod:
                        return lday * DAY + sod + d - off
                    d -= c - sod
            t = (lday + 1) * DAY - off


# ---------------------------------------------------------------------------------------------
# Text corpora. Everything is stored JSON-escaped (and with its raw UTF-8 size) so bodies are built
# by concatenation only; escaped pieces are never cut.


def esc(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)[1:-1]


class Pool:
    __slots__ = ("e", "n", "k")

    def __init__(self, texts):
        self.e = [esc(x) for x in texts]
        self.n = [len(x.encode("utf-8")) for x in texts]
        self.k = len(self.e)


LANGS = ["fr", "en", "es", "de", "it", "ja", "zh"]
LANG_W = [0.50, 0.29, 0.06, 0.06, 0.04, 0.03, 0.02]

CUST_TEXT = {
    "fr": {
        "greet": ["Bonjour,", "Bonjour à vous,", "Madame, Monsieur,", "Bonsoir,", "Hello,", "Bonjour l'équipe,"],
        "close": ["Merci d'avance pour votre aide.", "Cordialement,", "Bien à vous,",
                  "Merci de me tenir au courant 🙏", "Dans l'attente de votre retour.", "Bonne journée !",
                  "Merci de faire le nécessaire rapidement, c'est la deuxième fois que j'écris."],
        "follow_greet": ["Re-bonjour,", "Bonjour,", "Bonjour, je reviens vers vous :", "Suite à votre réponse :"],
        "generic": [
            "Je suis client chez vous depuis plusieurs années et c'est la première fois que j'ai un souci.",
            "J'ai déjà appelé le service client mais l'attente était de plus de 40 minutes.",
            "Pouvez-vous me dire ce qu'il en est ?", "C'est assez urgent car il s'agit d'un cadeau.",
            "Je joins une capture d'écran (voir pièce jointe « capture.png »).",
            "Je ne comprends pas pourquoi personne ne m'a prévenu.",
            "Sur votre site il est écrit \"réponse sous 24 h\" mais j'attends toujours.",
            "Merci de vérifier de votre côté.", "Je reste joignable par téléphone toute la journée.",
            "Franchement je suis déçu, d'habitude tout se passe bien 😕",
        ],
        "cat": {
            "billing": [
                "J'ai été débité deux fois pour la même commande, pouvez-vous vérifier ?",
                "Le montant prélevé (89,90 €) ne correspond pas à celui affiché sur le site (79,90 €).",
                "Je n'ai toujours pas reçu le remboursement promis il y a trois semaines.",
                "Pouvez-vous m'envoyer une facture au nom de ma société ? Le champ \"Raison sociale\" n'apparaît pas.",
                "Mon code promo « BIENVENUE10 » n'a pas été pris en compte lors du paiement.",
                "La carte a été refusée alors que ma banque affirme que tout est en ordre.",
            ],
            "delivery": [
                "Ma commande devait arriver mardi et je n'ai toujours rien reçu.",
                "Le suivi indique « livré » mais il n'y a rien dans ma boîte aux lettres ni chez le gardien.",
                "Le colis est bloqué au centre de tri depuis le 12, le transporteur ne répond pas.",
                "Le livreur a laissé un avis de passage alors que j'étais chez moi toute la journée 😤",
                "Est-il possible de changer l'adresse de livraison ? Je déménage ce week-end.",
                "Le carton est arrivé complètement écrasé, l'article à l'intérieur est abîmé.",
            ],
            "returns": [
                "Je souhaite retourner la veste, la taille M est trop petite.",
                "J'ai renvoyé le colis il y a dix jours et je n'ai aucune nouvelle du remboursement.",
                "Comment imprimer l'étiquette de retour ? Le lien \"Retourner un article\" ne fonctionne pas.",
                "Le produit ne correspond pas à la description, je demande un échange.",
                "Puis-je déposer le retour en point relais plutôt qu'au bureau de poste ?",
            ],
            "account": [
                "Je n'arrive plus à me connecter à mon compte, le mot de passe est refusé.",
                "Je n'ai jamais reçu l'e-mail de réinitialisation (j'ai vérifié les spams).",
                "Merci de supprimer mon compte et toutes mes données conformément au RGPD.",
                "Je voudrais modifier l'adresse e-mail associée à mon compte.",
                "Mon compte fidélité affiche 0 point alors que j'en avais 1 250 le mois dernier.",
            ],
            "product": [
                "La notice est uniquement en anglais, existe-t-il une version française ?",
                "L'appareil fait un bruit anormal au démarrage, est-ce normal ?",
                "Ce modèle est-il compatible avec la version précédente du chargeur ?",
                "La couleur reçue est « bleu nuit » alors que j'avais commandé « gris anthracite ».",
                "Quand ce produit sera-t-il de nouveau en stock ?",
            ],
            "technical": [
                "L'application plante dès que j'ouvre l'onglet \"Mes commandes\".",
                "Sur le site, le bouton « Valider le panier » ne réagit pas (Firefox 128, Windows 11).",
                "J'ai une erreur 500 quand je télécharge ma facture en PDF.",
                "Le fichier est enregistré dans C:\\Users\\Public\\Documents\\factures mais il est vide.",
                "L'appli affiche : \"Session expirée\" toutes les deux minutes.",
            ],
            "other": [
                "Est-ce que vous avez une boutique physique à Lyon ?",
                "Je voudrais proposer un partenariat avec votre marque.",
                "Vos horaires d'ouverture du service client ont-ils changé ?",
                "Pouvez-vous me rappeler au 06 12 34 56 78 ?",
            ],
        },
        "short": [
            "Bonjour, ma commande n'est pas arrivée 😕", "toujours rien reçu...", "ok, j'attends votre retour alors",
            "vous pouvez me rappeler svp ?", "c'est urgent svp !! merci", "Voici le numéro de commande : 40012345",
            "😡😡 3e fois que j'écris", "oui c'est bien ça, merci", "c'est quoi le délai exactement ? 🤔",
            "Le lien ne marche pas chez moi", "j'ai fait ce que vous avez dit mais rien ne change",
            "Bonjour, je voudrais annuler ma commande", "d'accord je vais essayer ce soir",
            "il est écrit \"paiement refusé\" ???", "Je vous envoie la photo 📷",
        ],
        "thanks": ["Merci beaucoup, c'est réglé ! 🙏", "Parfait, bien reçu. Merci pour votre réactivité.",
                   "Super, merci pour votre aide et bonne journée !", "Tout est ok de mon côté, merci 👍"],
        "nudge": ["Bonjour, avez-vous des nouvelles de ma demande ?", "Je me permets de relancer, sans réponse depuis hier.",
                  "Toujours rien ? Merci de me répondre rapidement.", "Petite relance concernant mon message précédent."],
        "review_bad": ["★☆☆☆☆ Très déçu, livraison en retard de deux semaines et aucun suivi.",
                       "★★☆☆☆ Produit correct mais le SAV ne répond jamais...",
                       "★☆☆☆☆ Colis « livré » mais jamais reçu. À éviter !!!"],
        "review_good": ["★★★★★ Super produit, livraison rapide, je recommande !",
                        "★★★★☆ Très bien dans l'ensemble, emballage un peu léger.",
                        "★★★★★ Service client au top, merci à Léa 👏"],
    },
    "en": {
        "greet": ["Hello,", "Hi there,", "Dear support team,", "Hi,", "Good morning,", "To whom it may concern,"],
        "close": ["Thanks in advance.", "Kind regards,", "Best,", "Looking forward to hearing from you.",
                  "Please sort this out ASAP 🙏", "Cheers,"],
        "follow_greet": ["Hi again,", "Hello,", "Following up on your reply:", "Thanks for getting back to me."],
        "generic": [
            "I have been a loyal customer for years and this is the first time I have had an issue.",
            "I already called your hotline but the wait was over 40 minutes.", "Could you let me know what is going on?",
            "It's quite urgent as it is a birthday present.", "I attached a screenshot (\"screenshot.png\").",
            "Nobody told me anything, which is frustrating.",
            "Your website says \"reply within 24h\" but I'm still waiting.", "Please check on your side.",
            "I'm available by phone all day.", "Honestly I'm disappointed, usually everything goes fine 😕",
        ],
        "cat": {
            "billing": ["I was charged twice for the same order, can you check?",
                        "The amount charged ($89.90) doesn't match the price on the site ($79.90).",
                        "I still haven't received the refund you promised three weeks ago.",
                        "Could you send me an invoice with my company's VAT number?",
                        "My promo code \"WELCOME10\" was not applied at checkout."],
            "delivery": ["My order was supposed to arrive on Tuesday and I still have nothing.",
                         "Tracking says \"delivered\" but there is nothing in my mailbox.",
                         "The parcel has been stuck at the sorting center since the 12th.",
                         "Can I change the delivery address? I'm moving this weekend.",
                         "The box arrived completely crushed and the item inside is damaged."],
            "returns": ["I'd like to return the jacket, size M is too small.",
                        "I sent the parcel back ten days ago and I have no news about the refund.",
                        "How do I print the return label? The \"Return an item\" link is broken.",
                        "The product doesn't match the description, I want an exchange."],
            "account": ["I can't log into my account anymore, my password is rejected.",
                        "I never got the password reset email (I checked my spam folder).",
                        "Please delete my account and all my data (GDPR request).",
                        "I'd like to change the email address on my account."],
            "product": ["The manual is only in German, is there an English version?",
                        "The device makes a strange noise when it starts, is that normal?",
                        "Is this model compatible with the previous charger?",
                        "When will this item be back in stock?"],
            "technical": ["The app crashes as soon as I open the \"My orders\" tab.",
                          "On the website the \"Checkout\" button does nothing (Chrome 126, macOS).",
                          "I get an error 500 when I download my invoice as a PDF.",
                          "The export is saved to C:\\Users\\me\\Downloads\\orders.csv but the file is empty.",
                          "The app keeps saying \"Session expired\" every two minutes."],
            "other": ["Do you have a physical store in London?", "I'd like to propose a partnership.",
                      "Have your customer service hours changed?", "Can you call me back on +44 20 7946 0000?"],
        },
        "short": ["Hi, where is my order?", "how long will that take? 🤔", "still nothing received :(",
                  "Can someone call me back please?", "ok 👌 will try that tonight", "yes that's the right address",
                  "order number is 40012345", "it says \"payment declined\" again", "the link doesn't work for me",
                  "I want to cancel my order please", "sending you a photo now 📷", "this is the 3rd time I write 😡"],
        "thanks": ["Thanks a lot, all sorted! 🙏", "Perfect, received. Thanks for the quick help.",
                   "Great, thank you and have a nice day!", "All good on my side, thanks 👍"],
        "nudge": ["Hello, any news about my request?", "Following up, no answer since yesterday.",
                  "Still nothing? Please reply asap.", "Just a reminder about my previous message."],
        "review_bad": ["★☆☆☆☆ Very disappointed, delivery two weeks late and no tracking.",
                       "★★☆☆☆ Product is fine but customer service never answers...",
                       "★☆☆☆☆ Parcel \"delivered\" but never received. Avoid!!!"],
        "review_good": ["★★★★★ Great product, fast delivery, recommended!",
                        "★★★★☆ Very good overall, packaging a bit light.",
                        "★★★★★ Amazing support, thanks to Ana 👏"],
    },
    "es": {
        "greet": ["Hola,", "Buenos días,", "Estimados señores:"],
        "close": ["Gracias de antemano.", "Un saludo,", "Quedo a la espera de su respuesta."],
        "follow_greet": ["Hola de nuevo,", "Hola,"],
        "generic": ["Mi pedido no ha llegado todavía y el seguimiento no se actualiza.",
                    "¿Podrían ayudarme con la devolución? La talla no es la correcta.",
                    "Me cobraron dos veces el mismo pedido.", "¿Cuándo llegará mi paquete?",
                    "No puedo acceder a mi cuenta, dice \"contraseña incorrecta\".",
                    "El producto llegó dañado, adjunto fotos. ¡Qué decepción!"],
        "cat": {},
        "short": ["Hola, ¿dónde está mi pedido?", "¿cuánto tiempo tarda? 🤔", "sigo sin recibir nada 😕",
                  "¿me pueden llamar por favor?", "el número de pedido es 40012345", "vale, espero su respuesta"],
        "thanks": ["¡Muchas gracias, todo resuelto! 🙏", "Perfecto, gracias por la ayuda."],
        "nudge": ["Hola, ¿alguna novedad sobre mi solicitud?"],
        "review_bad": ["★☆☆☆☆ Muy decepcionado, el envío tardó dos semanas."],
        "review_good": ["★★★★★ ¡Producto genial y envío rápido!"],
    },
    "de": {
        "greet": ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,"],
        "close": ["Vielen Dank im Voraus.", "Mit freundlichen Grüßen", "Beste Grüße"],
        "follow_greet": ["Hallo nochmal,", "Guten Tag,"],
        "generic": ["Meine Bestellung ist noch nicht angekommen.",
                    "Ich möchte den Artikel zurückschicken, die Größe passt nicht.",
                    "Die Rechnung enthält einen Fehler: „Versandkosten“ wurden doppelt berechnet.",
                    "Können Sie mir bitte weiterhelfen? Es ist dringend!",
                    "Die App stürzt beim Öffnen von \"Meine Bestellungen\" ab.",
                    "Das Paket wurde beschädigt zugestellt, Fotos anbei."],
        "cat": {},
        "short": ["Hallo, wo bleibt meine Bestellung?", "wie lange dauert das noch? 🤔", "immer noch nichts angekommen 😕",
                  "die Bestellnummer ist 40012345", "können Sie mich bitte zurückrufen?"],
        "thanks": ["Vielen Dank, alles erledigt! 🙏", "Perfekt, danke für die schnelle Hilfe."],
        "nudge": ["Hallo, gibt es Neuigkeiten zu meiner Anfrage?"],
        "review_bad": ["★☆☆☆☆ Sehr enttäuscht, Lieferung zwei Wochen zu spät."],
        "review_good": ["★★★★★ Tolles Produkt, schnelle Lieferung!"],
    },
    "it": {
        "greet": ["Buongiorno,", "Salve,", "Gentile servizio clienti,"],
        "close": ["Grazie mille per l'aiuto.", "Cordiali saluti,", "Resto in attesa di una risposta."],
        "follow_greet": ["Buongiorno di nuovo,", "Salve,"],
        "generic": ["Il mio ordine non è ancora arrivato.", "Vorrei restituire il prodotto, è arrivato danneggiato.",
                    "Non riesco ad accedere al mio account.", "Mi avete addebitato due volte lo stesso ordine.",
                    "Il tracking dice \"consegnato\" ma non ho ricevuto nulla."],
        "cat": {},
        "short": ["Buongiorno, dov'è il mio ordine?", "quanto tempo ci vuole? 🤔", "ancora niente ricevuto 😕",
                  "il numero d'ordine è 40012345", "potete richiamarmi per favore?"],
        "thanks": ["Grazie mille, tutto risolto! 🙏"],
        "nudge": ["Buongiorno, ci sono novità sulla mia richiesta?"],
        "review_bad": ["★☆☆☆☆ Molto deluso, consegna in ritardo di due settimane."],
        "review_good": ["★★★★★ Prodotto fantastico, consegna veloce!"],
    },
    "ja": {
        "greet": ["こんにちは。", "お世話になっております。"],
        "close": ["よろしくお願いいたします。", "ご確認のほどお願いいたします。"],
        "follow_greet": ["ご返信ありがとうございます。", "度々すみません。"],
        "generic": ["注文した商品がまだ届いていません。", "返品の手続きを教えていただけますか？",
                    "請求金額が間違っているようです。", "アプリにログインできません。😢",
                    "「配達済み」と表示されていますが、受け取っていません。", "商品が破損していました。写真を添付します。"],
        "cat": {},
        "short": ["注文はどこですか？📦", "どのくらい時間がかかりますか？🤔", "まだ届いていません…",
                  "注文番号は40012345です。"],
        "thanks": ["ありがとうございました！解決しました 🙏"],
        "nudge": ["その後いかがでしょうか？ご連絡お待ちしております。"],
        "review_bad": ["★☆☆☆☆ 配送が2週間遅れました。残念です。"],
        "review_good": ["★★★★★ 素晴らしい商品です！配送も早かったです。"],
    },
    "zh": {
        "greet": ["您好，", "你好，"],
        "close": ["谢谢！", "期待您的回复。"],
        "follow_greet": ["您好，我再问一下：", "谢谢回复。"],
        "generic": ["我的订单还没有收到。", "我想退货，尺寸不合适。", "我被重复扣款了，请帮忙查一下。",
                    "网站一直显示“系统错误”。", "物流显示\"已签收\"，但我没有收到包裹。", "请尽快处理，谢谢 🙏"],
        "cat": {},
        "short": ["我的订单在哪里？📦", "需要多长时间？🤔", "还是没有收到…", "订单号是40012345。"],
        "thanks": ["非常感谢，问题已解决！🙏"],
        "nudge": ["您好，请问我的问题有进展吗？"],
        "review_bad": ["★☆☆☆☆ 很失望，配送晚了两个星期。"],
        "review_good": ["★★★★★ 产品很好，发货很快！"],
    },
}

AGENT_TEXT = {
    "fr": {
        "greet": "Bonjour ",
        "generic": [
            "Merci pour votre message et toutes nos excuses pour ce désagrément.",
            "Je comprends tout à fait votre frustration.", "Je viens de vérifier votre dossier.",
            "Pourriez-vous m'envoyer une photo du produit et de l'étiquette du colis ?",
            "N'hésitez pas à revenir vers nous si besoin.", "Je reste à votre disposition.",
            "Je vous tiens informé(e) dès que j'ai un retour.",
            "Pour information, nos conseillers sont joignables du lundi au vendredi.",
        ],
        "cat": {
            "billing": ["Je confirme qu'un remboursement de 10,00 € a été initié ; il apparaîtra sous 3 à 5 jours ouvrés.",
                        "Le double prélèvement correspond à une pré-autorisation bancaire qui sera annulée automatiquement.",
                        "Vous trouverez votre facture dans « Mon compte > Mes commandes > Facture »."],
            "delivery": ["J'ai ouvert une enquête auprès du transporteur, il a 48 h pour nous répondre.",
                         "Votre colis est bien reparti du dépôt ce matin, livraison prévue demain.",
                         "Si le colis n'est pas arrivé vendredi, nous vous le renverrons gratuitement."],
            "returns": ["Vous trouverez ci-joint l'étiquette de retour prépayée.",
                        "Le remboursement sera effectué dès réception du retour dans notre entrepôt.",
                        "L'échange est validé : la taille L part aujourd'hui."],
            "account": ["J'ai réinitialisé votre accès : vous allez recevoir un lien valable 24 h.",
                        "Votre demande de suppression a été prise en compte, elle sera effective sous 30 jours.",
                        "L'adresse e-mail de votre compte a été mise à jour."],
            "product": ["La notice en français est disponible sur notre site, rubrique « Aide ».",
                        "Ce bruit est normal pendant les premières utilisations.",
                        "Le produit sera de nouveau disponible d'ici deux semaines."],
            "technical": ["Pouvez-vous vider le cache de l'application (Réglages > Applications > Stockage) puis réessayer ?",
                          "Notre équipe technique a identifié le problème ; un correctif est en cours de déploiement.",
                          "Pourriez-vous nous indiquer la version de l'application (menu \"À propos\") ?"],
        },
        "short": ["Bonjour, je regarde ça tout de suite.", "Pouvez-vous me donner votre numéro de commande ?",
                  "Merci, je vérifie tout de suite.", "C'est noté, je transmets au service concerné.", "Voilà, c'est corrigé 👍",
                  "Avez-vous d'autres questions ?", "Je vous remercie de votre patience."],
        "sign": "Bien cordialement,",
        "team": "Le service client",
        "thread": "-------- Message d'origine --------",
        "from": "De : ",
        "long_intro": "Voici la procédure détaillée :",
    },
    "en": {
        "greet": "Hello ",
        "generic": [
            "Thank you for your message and sorry for the inconvenience.", "I completely understand your frustration.",
            "I have just checked your file.", "Could you send me a photo of the item and of the parcel label?",
            "Feel free to get back to us if needed.", "I remain at your disposal.",
            "I'll keep you posted as soon as I hear back.",
            "For your information, our advisers are available Monday to Friday.",
        ],
        "cat": {
            "billing": ["I confirm a refund of $10.00 has been issued; it will show within 3-5 business days.",
                        "The double charge is a bank pre-authorization that will be released automatically."],
            "delivery": ["I have opened an investigation with the carrier, they have 48 hours to answer.",
                         "Your parcel left the depot this morning, delivery is expected tomorrow."],
            "returns": ["Please find attached the prepaid return label.",
                        "The refund will be issued as soon as the return reaches our warehouse."],
            "account": ["I have reset your access: you will receive a link valid for 24 hours.",
                        "Your deletion request has been recorded and will be effective within 30 days."],
            "product": ["The English manual is available on our website under \"Help\".",
                        "This noise is normal during the first uses."],
            "technical": ["Could you clear the app cache (Settings > Apps > Storage) and try again?",
                          "Our technical team identified the issue; a fix is being rolled out."],
        },
        "short": ["Hi, let me check that for you.", "Could you give me your order number?", "Thanks, checking now.",
                  "Noted, I'm forwarding this to the right team.", "Done, it's fixed 👍",
                  "Anything else I can help with?", "Thanks for your patience."],
        "sign": "Kind regards,",
        "team": "Customer care",
        "thread": "-----Original Message-----",
        "from": "From: ",
        "long_intro": "Here is the detailed procedure:",
    },
}

ACK_TEXT = {
    "fr": ("Bonjour,\n\nNous avons bien reçu votre message et nous vous en remercions. Votre demande porte la référence ",
           ".\nNotre équipe vous répondra dans les meilleurs délais (habituellement sous 24 h ouvrées).\n\n"
           "Ceci est un message automatique, merci de ne pas y répondre.\n— Le service client"),
    "en": ("Hello,\n\nThank you for contacting us. Your request has been logged under reference ",
           ".\nOur team will get back to you as soon as possible (usually within one business day).\n\n"
           "This is an automated message, please do not reply.\n— Customer care"),
}
CHATBOT_TEXT = {
    "fr": ["Bonjour 👋 Je suis Alfred, l'assistant virtuel. Un conseiller va prendre votre demande en charge dans quelques instants.",
           "Bonjour ! Pour aller plus vite, indiquez-moi votre numéro de commande 🙂"],
    "en": ["Hi 👋 I'm Alfred, the virtual assistant. An adviser will be with you in a moment.",
           "Hello! To speed things up, please type your order number 🙂"],
}
CHATBOT_OFFLINE = {
    "fr": "Nos conseillers sont actuellement absents. Laissez-nous votre question, nous vous répondrons dès notre retour 🙂",
    "en": "Our advisers are currently away. Leave us your question and we will reply as soon as we are back 🙂",
}
AWAY_TEXT = {
    "fr": "Merci pour votre message ! Nous sommes actuellement fermés, nous vous répondrons dès l'ouverture.",
    "en": "Thanks for your message! We are closed right now and will reply as soon as we open.",
}
NOTE_TEXT = [
    "Client déjà relancé 2 fois, à prioriser.", "Vu avec la logistique : colis perdu, renvoi gratuit validé.",
    "Escalade N2 — bug reproduit sur iOS 17.5.", "Geste commercial : bon d'achat de 15 € accordé.",
    "Attention : adresse de livraison différente de celle du compte.",
    "Appel sortant, messagerie, laissé un message.", "Doublon possible avec un ticket précédent, à vérifier.",
    "Customer is a VIP (B2B account), handle with care.", "Waiting for carrier investigation ENQ-2291.",
    "Refund approved by team lead.", "Commande\t#4001234\tstatut : EXPÉDIÉE\tentrepôt : LYS-2",
    "Client très mécontent, ton agressif dans l'appel — rester factuel.",
    "Le client dit \"c'est la 3e fois\" : vérifier l'historique.", "Chemin du fichier fourni : D:\\exports\\2025\\factures.csv",
]
BOTNOTE_TEXT = [
    "fraud-check: risk score 0.82 → vérification manuelle requise",
    "fraud-check: risk score 0.07, OK", "sentiment: négatif (−0.71) ⚠️", "sentiment: positive (0.64)",
    "auto-triage: langue détectée = fr, intention = suivi_commande (0.93)",
]
SUBJECTS = {
    "fr": {
        "billing": ["Double prélèvement", "Remboursement en attente", "Facture \"introuvable\"", "Problème de paiement"],
        "delivery": ["Commande non reçue", "URGENT !!! colis perdu 😡", "Retard de livraison", "Où est mon colis ?"],
        "returns": ["Demande de retour", "Échange de taille", "Retour non remboursé"],
        "account": ["Problème de connexion", "Suppression de mon compte (RGPD)", "Changement d'adresse e-mail"],
        "product": ["Question produit", "Produit défectueux", "Disponibilité d'un article"],
        "technical": ["Bug application", "Erreur 500 sur le site", "L'appli plante"],
        "other": ["Demande d'information", "Partenariat", "Question"],
    },
    "en": {
        "billing": ["Charged twice", "Refund not received", "Invoice request"],
        "delivery": ["Where is my order?", "Order not received", "URGENT: parcel lost 😡"],
        "returns": ["Return request", "Size exchange"],
        "account": ["Can't log in", "Delete my account"],
        "product": ["Product question", "Faulty item"],
        "technical": ["App keeps crashing", "Error 500 on checkout"],
        "other": ["Question", "Partnership enquiry"],
    },
}
INCIDENT_TEXT = {
    "delivery": ("Grève du transporteur : colis bloqué ?", "Carrier strike: is my parcel stuck?",
                 "Avec la grève du transporteur, ma commande est bloquée. Quand sera-t-elle livrée ?",
                 "With the carrier strike my order is stuck. When will it be delivered?"),
    "technical": ("Site inaccessible", "Website down",
                  "Le site affiche \"503 Service Unavailable\" depuis ce matin, impossible de commander.",
                  "The website shows \"503 Service Unavailable\" since this morning, I can't order."),
    "billing": ("Prélèvement en double !", "Charged twice!",
                "Je viens d'être débité deux fois (même montant, même heure) comme beaucoup d'autres apparemment.",
                "I've just been charged twice (same amount, same time), apparently like many others."),
    "product": ("Rappel produit", "Product recall",
                "J'ai reçu l'e-mail de rappel du chargeur, que dois-je faire exactement ?",
                "I got the recall email about the charger, what exactly should I do?"),
    "account": ("E-mail suspect reçu", "Suspicious email",
                "J'ai reçu un e-mail me demandant mon mot de passe, est-ce vraiment vous ?",
                "I received an email asking for my password, is it really from you?"),
}

CATEGORIES = ["billing", "delivery", "returns", "account", "product", "technical", "other"]
CAT_BY_CHANNEL = {
    "email": [0.18, 0.30, 0.14, 0.10, 0.10, 0.10, 0.08],
    "chat": [0.12, 0.32, 0.14, 0.14, 0.12, 0.10, 0.06],
    "form": [0.16, 0.22, 0.20, 0.14, 0.10, 0.10, 0.08],
    "marketplace": [0.08, 0.50, 0.28, 0.0, 0.10, 0.0, 0.04],
    "social": [0.08, 0.40, 0.10, 0.06, 0.16, 0.10, 0.10],
    "review": [0.04, 0.36, 0.10, 0.0, 0.40, 0.04, 0.06],
    "sms": [0.10, 0.50, 0.12, 0.10, 0.06, 0.04, 0.08],
    "whatsapp": [0.10, 0.44, 0.16, 0.08, 0.10, 0.06, 0.06],
    "messenger": [0.10, 0.42, 0.14, 0.08, 0.12, 0.06, 0.08],
    "other": [0.20, 0.20, 0.14, 0.14, 0.10, 0.06, 0.16],
}
PRIORITIES = [None, "low", "normal", "high", "urgent"]
PRIORITY_W = [0.05, 0.13, 0.61, 0.17, 0.04]

CHANNELS = ["email", "chat", "form", "marketplace", "social", "review", "sms", "whatsapp", "messenger", "other"]
CHANNEL_W = [0.33, 0.19, 0.09, 0.09, 0.06, 0.035, 0.04, 0.09, 0.055, 0.02]
INCIDENT_CHANNEL_W = [0.34, 0.22, 0.06, 0.04, 0.16, 0.02, 0.03, 0.08, 0.04, 0.01]
ID_KIND = {"email": "email", "form": "email", "other": "email", "chat": "chat", "sms": "phone",
           "whatsapp": "phone", "messenger": "fb", "social": "social", "review": "review",
           "marketplace": "market"}

TEAMS = {
    "frontline": ["ana", "bruno", "chloe", "david", "elena", "farid"],
    "email-care": ["giulia", "hugo", "ines", "jonas", "karim"],
    "social-market": ["lea", "marco", "nora"],
    "billing": ["omar", "paula", "quentin"],
    "tech": ["rosa", "samir", "tomas", "yuki"],
}
AGENT_DISPLAY = {"chloe": "Chloé", "lea": "Léa", "ines": "Inès", "elena": "Elena", "yuki": "Yuki"}
TEAM_BY_CHANNEL = {"chat": "frontline", "sms": "frontline", "whatsapp": "frontline", "messenger": "frontline",
                   "email": "email-care", "form": "email-care", "other": "email-care",
                   "social": "social-market", "review": "social-market", "marketplace": "social-market"}
ESCALATION_TEAM = {"billing": "billing", "technical": "tech", "account": "tech"}

# Per-channel behaviour. Times are medians in µs; `frt` is staff working time to the first answer,
# `cust` wall time for a customer to answer back, `cont` the chance of one more round.
CHP = {
    "email": dict(frt=2 * HOUR, cust=5 * HOUR, cont=0.60, ack=0.93, nudge=0.10, noreply=0.03, late=0.075,
                  mid=0.9, subj=0.97, lmed=380, short=False, burst=0.0, pend=0.22),
    "form": dict(frt=3 * HOUR, cust=6 * HOUR, cont=0.55, ack=0.95, nudge=0.06, noreply=0.03, late=0.0,
                 mid=0.6, subj=1.0, lmed=300, short=False, burst=0.0, pend=0.20),
    "marketplace": dict(frt=2 * HOUR, cust=4 * HOUR, cont=0.60, ack=0.0, nudge=0.08, noreply=0.02, late=0.0,
                        mid=1.0, subj=0.7, lmed=260, short=False, burst=0.0, pend=0.18),
    "social": dict(frt=50 * MIN, cust=60 * MIN, cont=0.55, ack=0.0, nudge=0.15, noreply=0.10, late=0.0,
                   mid=0.9, subj=0.0, lmed=110, short=True, burst=0.25, pend=0.10),
    "review": dict(frt=6 * HOUR, cust=24 * HOUR, cont=0.22, ack=0.0, nudge=0.0, noreply=0.38, late=0.0,
                   mid=0.8, subj=0.0, lmed=160, short=False, burst=0.0, pend=0.05),
    "sms": dict(frt=25 * MIN, cust=12 * MIN, cont=0.62, ack=0.0, nudge=0.20, noreply=0.04, late=0.0,
                mid=0.0, subj=0.0, lmed=60, short=True, burst=0.45, pend=0.10),
    "whatsapp": dict(frt=20 * MIN, cust=10 * MIN, cont=0.66, ack=0.0, nudge=0.22, noreply=0.03, late=0.0,
                     mid=1.0, subj=0.0, lmed=60, short=True, burst=0.55, pend=0.12),
    "messenger": dict(frt=25 * MIN, cust=12 * MIN, cont=0.64, ack=0.0, nudge=0.20, noreply=0.04, late=0.0,
                      mid=1.0, subj=0.0, lmed=60, short=True, burst=0.50, pend=0.11),
    "chat": dict(frt=45 * MIN, cust=40 * SEC, cont=0.80, ack=1.0, nudge=0.0, noreply=0.02, late=0.0,
                 mid=0.5, subj=0.0, lmed=70, short=True, burst=0.60, pend=0.08),
    "other": dict(frt=5 * HOUR, cust=8 * HOUR, cont=0.42, ack=0.5, nudge=0.05, noreply=0.05, late=0.0,
                  mid=0.0, subj=0.8, lmed=300, short=False, burst=0.0, pend=0.16),
}
PRIO_SPEED = {None: 1.2, "low": 1.8, "normal": 1.0, "high": 0.4, "urgent": 0.12}

# Hourly arrival profiles (Europe/Paris local hours 0..23), weekday / weekend.
PROFILE = {
    "office": ([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3.5, 6, 7, 7, 5.5, 5.5, 6.5, 6.5, 6, 5, 3.5, 2.5, 2, 1.6, 1.1, 0.6],
               [0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.5, 3, 3, 2.8, 2.5, 2.5, 2.5, 2.4, 2.2, 2, 2, 2, 1.8, 1.4, 0.8]),
    "chat": ([0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 1, 4, 7, 8, 7.5, 5.5, 6, 7.5, 7.5, 7, 6, 3, 2, 1.6, 1.2, 0.8, 0.4],
             [0.3, 0.2, 0.1, 0.05, 0.05, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3, 2.5, 2.5, 2.5, 2.5, 2.3, 2, 1.8, 1.6, 1.4, 1.2, 0.8, 0.5]),
    "mobile": ([0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 4.5, 5, 5.5, 6, 6, 5, 5, 5, 5, 5.5, 6, 6, 5, 3.5, 1.5],
               [0.8, 0.5, 0.3, 0.1, 0.1, 0.1, 0.3, 0.8, 1.8, 2.8, 3.2, 3.5, 3.5, 3.2, 3, 3, 3, 3.2, 3.4, 3.6, 3.6, 3, 2.2, 1.2]),
}
CHANNEL_PROFILE = {"email": "office", "form": "office", "marketplace": "office", "other": "office",
                   "chat": "chat", "social": "mobile", "review": "mobile", "sms": "mobile",
                   "whatsapp": "mobile", "messenger": "mobile"}
WEEKDAY_F = [1.25, 1.12, 1.05, 1.0, 0.95, 0.5, 0.38]
MONTH_F = [1.15, 0.95, 1.0, 0.95, 0.9, 0.95, 0.9, 0.75, 1.0, 1.0, 1.2, 1.3]

NAMES = {
    "fr": (["Camille", "Léa", "Chloé", "Manon", "Inès", "Zoé", "Élodie", "Hélène", "Lucas", "Hugo", "Théo",
            "Louis", "Gabriel", "Nathan", "Jérôme", "François", "Benoît", "Anaïs", "Maëlle", "Noël"],
           ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Lefèvre", "Girard", "Bonnet", "Mercier", "Fournier", "Faure", "Rousseau", "Blanc", "Guérin", "Lemaître"],
           ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "sfr.fr", "wanadoo.fr",
            "outlook.fr", "icloud.com"], "+33"),
    "en": (["Oliver", "Emma", "James", "Sophie", "Harry", "Amelia", "Jack", "Olivia", "Noah", "Grace", "Liam", "Chloe"],
           ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "O'Brien", "Davies", "Evans", "Johnson",
            "Miller", "Garcia"], ["gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "icloud.com"], "+44"),
    "es": (["José", "María", "Lucía", "Javier", "Álvaro", "Sofía"],
           ["García", "Fernández", "López", "Martínez", "Sánchez", "Muñoz"], ["gmail.com", "hotmail.es", "telefonica.net"],
           "+34"),
    "de": (["Jürgen", "Lena", "Lukas", "Anna", "Jonas", "Sophie"], ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß"],
           ["gmx.de", "web.de", "t-online.de", "gmail.com"], "+49"),
    "it": (["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo"], ["Rossi", "Russo", "Bianchi", "Romano", "Colombo", "Ricci"],
           ["libero.it", "gmail.com", "tiscali.it"], "+39"),
    "ja": (["太郎|taro", "花子|hanako", "健|ken", "由美|yumi", "翔|sho"], ["佐藤|sato", "鈴木|suzuki", "高橋|takahashi", "田中|tanaka"],
           ["yahoo.co.jp", "gmail.com", "docomo.ne.jp"], "+81"),
    "zh": (["伟|wei", "芳|fang", "娜|na", "磊|lei", "静|jing"], ["王|wang", "李|li", "张|zhang", "刘|liu", "陈|chen"],
           ["qq.com", "163.com", "gmail.com"], "+86"),
}


def ascii_fold(s: str) -> str:
    s = s.replace("ß", "ss").replace("ø", "o")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s.lower() if "a" <= ch <= "z")


_NAME_CACHE: dict[str, tuple[str, str]] = {}


def split_name(entry: str) -> tuple[str, str]:
    v = _NAME_CACHE.get(entry)
    if v is None:
        v = _NAME_CACHE[entry] = _split_name(entry)
    return v


def _split_name(entry: str) -> tuple[str, str]:
    if "|" in entry:
        a, b = entry.split("|")
        return a, b
    return entry, ascii_fold(entry)


def cumulative(ws):
    out, s = [], 0.0
    for w in ws:
        s += w
        out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# The generator.


class Person:
    __slots__ = ("pid", "lang", "tz", "first", "first_e", "last", "first_a", "last_a", "domain", "cc",
                 "fav", "logged", "ids", "primary", "convs", "links")


class Conv:
    __slots__ = ("cid", "person", "channel", "cust", "busy", "status", "assignee", "team", "category",
                 "priority", "episodes", "last", "subject", "link", "lang")


class Generator:
    def __init__(self, n_events: int, seed: int, start: _dt.date, days: int):
        self.N = n_events
        self.rng = random.Random(seed)
        self.r = self.rng.random
        zr = random.Random(0x2545F491).random
        self._zs = [(zr() + zr() + zr() + zr() - 2.0) * 1.7320508075688772 for _ in range(4096)]
        self._lnt: dict[float, list[float]] = {}
        self.start_day = epoch_day(start)
        self.days = days
        y0 = start.year - 1
        y1 = date_of(self.start_day + days + 400).year
        self.zones = Zones(y0, y1)
        self.policies = build_policies(self.start_day, days)
        self.cal = Calendar(self.zones, self.policies)
        self.seq = 0
        self.heap: list = []
        self.conv_count = 0
        self.episode_count = 0
        self.type_counts: dict[str, int] | None = None
        self.last_lday = self.start_day
        self.pid_count = 0
        self.pool: list[Person] = []
        self.pool_cap = 120_000
        self._build_text()
        self._build_calendar_weights()

    # ----- corpus -----------------------------------------------------------------------------

    def _build_text(self):
        self.cust = {}
        for lang, t in CUST_TEXT.items():
            c = {k: Pool(t[k]) for k in ("greet", "close", "follow_greet", "generic", "short", "thanks", "nudge",
                                         "review_bad", "review_good")}
            c["cat"] = {k: Pool(v) for k, v in t["cat"].items()}
            self.cust[lang] = c
        self.agent = {}
        for lang, t in AGENT_TEXT.items():
            a = {"generic": Pool(t["generic"]), "short": Pool(t["short"]),
                 "cat": {k: Pool(v) for k, v in t["cat"].items()}}
            for k in ("greet", "sign", "team", "thread", "from", "long_intro"):
                a[k] = esc(t[k])
            self.agent[lang] = a
        self.ack = {k: (esc(a), esc(b)) for k, (a, b) in ACK_TEXT.items()}
        self.chatbot = {k: Pool(v) for k, v in CHATBOT_TEXT.items()}
        self.chatbot_off = {k: esc(v) for k, v in CHATBOT_OFFLINE.items()}
        self.away = {k: esc(v) for k, v in AWAY_TEXT.items()}
        self.notes = Pool(NOTE_TEXT)
        self.botnotes = Pool(BOTNOTE_TEXT)
        self.subjects = {lang: {k: Pool(v) for k, v in s.items()} for lang, s in SUBJECTS.items()}
        self.incident_text = {k: tuple(esc(x) for x in v) for k, v in INCIDENT_TEXT.items()}
        # A pool of log lines for the rare huge bodies (pasted logs).
        cr = random.Random(0x5EED)
        levels = ["INFO", "WARN", "ERROR", "DEBUG"]
        comps = ["sync-worker-3", "http", "db.pool", "checkout", "auth", "pdf-render", "cache"]
        msgs = ["GET /api/v2/orders/{n} -> 200 in {m} ms", "POST /api/v2/cart/checkout -> 502 \"Bad Gateway\"",
                "retrying request id={h} (attempt {m}/5)", "connection reset by peer\tsocket=fd:{m}",
                "could not open C:\\ProgramData\\Shop\\cache\\{h}.tmp: access denied",
                "token expired for user #{n} — re-authenticating", "render invoice {n}.pdf: font \"DejaVu Sans\" missing",
                "Exception in thread \"main\" java.lang.NullPointerException: null", "    at com.shop.Sync.run(Sync.java:{m})",
                "slow query ({m} ms): SELECT * FROM orders WHERE id = {n}", "payload={{\"order\":{n},\"status\":\"KO\"}}"]
        lines = []
        for i in range(600):
            msg = msgs[cr.randrange(len(msgs))].format(n=cr.randrange(10 ** 6, 10 ** 7), m=cr.randrange(1, 999),
                                                        h=f"{cr.getrandbits(32):08x}")
            lines.append(f"2025-{1 + i // 60:02d}-{1 + i % 28:02d} {cr.randrange(24):02d}:{cr.randrange(60):02d}:"
                         f"{cr.randrange(60):02d}.{cr.randrange(1000):03d} {levels[cr.randrange(4)]:5} "
                         f"[{comps[cr.randrange(len(comps))]}] {msg}")
        self.logs = Pool(lines)
        self._quotes: dict[str, tuple[list[str], int]] = {}
        self.log_avg = sum(self.logs.n) // self.logs.k + 1
        # Agents.
        self.team_agents = {}
        self.agent_display = {}
        for team, names in TEAMS.items():
            self.team_agents[team] = ["agent:" + n for n in names]
            for n in names:
                self.agent_display["agent:" + n] = esc(AGENT_DISPLAY.get(n, n.capitalize()))
        self.lang_cum = cumulative(LANG_W)
        self.ch_cum = cumulative(CHANNEL_W)
        self.inc_ch_cum = cumulative(INCIDENT_CHANNEL_W)
        self.cat_cum = {ch: cumulative(w) for ch, w in CAT_BY_CHANNEL.items()}
        self.prio_cum = cumulative(PRIORITY_W)
        self.prof_cum = {k: (cumulative(a), cumulative(b)) for k, (a, b) in PROFILE.items()}

    # ----- random helpers ---------------------------------------------------------------------

    def pick_cum(self, cum):
        return bisect.bisect_right(cum, self.r() * cum[-1])

    def z(self) -> float:
        """Approximately standard normal (Irwin-Hall of 4 uniforms, scaled): arithmetic only."""
        r = self.r
        return (r() + r() + r() + r() - 2.0) * 1.7320508075688772

    def ln(self, med: float, sigma: float) -> int:
        """Log-normal-ish duration in µs with median `med` (a table of exp(sigma * z) multipliers,
        built once per sigma, picked at random and jittered by ±4%)."""
        t = self._lnt.get(sigma)
        if t is None:
            t = self._lnt[sigma] = [dexp(sigma * z) for z in self._zs]
        r = self.r
        return int(med * t[int(r() * 4096)] * (0.96 + 0.08 * r())) + 1

    def hexid(self, nbits: int) -> str:
        return f"{self.rng.getrandbits(nbits):0{nbits // 4}x}"

    # ----- calendar weights and incidents -----------------------------------------------------

    def _build_calendar_weights(self):
        r = self.r
        days = self.days
        self.incidents: dict[int, tuple[float, str, int]] = {}
        # 3-5 tsunami days on working days, well apart.
        n_inc = 3 + int(r() * 3) if days >= 60 else (1 if days >= 7 else 0)
        tries = 0
        kinds = ["delivery", "technical", "billing", "product", "account"]
        while len(self.incidents) < n_inc and tries < 1000:
            tries += 1
            d = 3 + int(r() * max(1, days - 6))
            if d >= days or date_of(self.start_day + d).weekday() >= 5 or self.cal.holiday(self.start_day + d):
                continue
            if any(abs(d - e) < max(2, days // 12) for e in self.incidents):
                continue
            self.incidents[d] = (6.0 + 4.0 * r(), kinds[int(r() * len(kinds))], 8 + int(r() * 7))
        self.weights = [self.day_weight(d) for d in range(days)]
        self.total_w = sum(self.weights)
        self.cum_w = cumulative(self.weights)

    def day_weight(self, d: int, base_only: bool = False) -> float:
        lday = self.start_day + d
        dd = date_of(lday)
        w = WEEKDAY_F[dd.weekday()] * MONTH_F[dd.month - 1] * (1.0 + 0.2 * min(d, self.days) / self.days)
        if self.cal.holiday(lday):
            w *= 0.45
        # Black Friday (4th Friday of November) and the following Monday.
        if dd.month == 11 and dd.weekday() in (4, 0):
            first_fri = 1 + (4 - _dt.date(dd.year, 11, 1).weekday()) % 7
            bf = first_fri + 21
            if dd.day == bf or dd.day == bf + 3:
                w *= 1.6
        if not base_only:
            inc = self.incidents.get(d)
            if inc:
                w *= inc[0]
            elif self.incidents.get(d - 1):
                w *= 1.8
        return w

    # ----- people and conversations -----------------------------------------------------------

    def new_person(self, fav: str) -> Person:
        r = self.r
        p = Person()
        self.pid_count += 1
        p.pid = self.pid_count
        lang = LANGS[self.pick_cum(self.lang_cum)]
        p.lang = lang
        firsts, lasts, domains, cc = NAMES[lang]
        f, fa = split_name(firsts[int(r() * len(firsts))])
        l_, la = split_name(lasts[int(r() * len(lasts))])
        p.first, p.first_a, p.last, p.last_a = f, fa, l_, la
        p.first_e = esc(f)
        p.domain = domains[int(r() * len(domains))]
        p.cc = cc
        u = r()
        p.tz = "ny" if (lang == "en" and u < 0.3) else ("utc" if u > 0.95 else "paris")
        p.fav = fav
        p.logged = r() < 0.6
        p.ids = {}
        p.primary = None
        p.convs = {}
        p.links = 0
        if len(self.pool) < self.pool_cap:
            self.pool.append(p)
        else:
            i = int(r() * self.pool_cap)
            self.pool[i].convs = None  # break the person <-> conversation cycle (the GC is off)
            self.pool[i] = p
        return p

    def person_id(self, p: Person, kind: str) -> str:
        """The customer id of person `p` on an id kind; unique per person by construction."""
        v = p.ids.get(kind)
        if v is not None:
            return v
        r = self.r
        pid = p.pid
        if kind == "email":
            f, l_ = p.first_a or "client", p.last_a or "x"
            u = int(r() * 5)
            local = (f"{f}.{l_}{pid}", f"{f[0]}{l_}{pid}", f"{f}_{l_}.{pid}", f"{l_}.{f}{pid}", f"{f}{pid}")[u]
            if r() < 0.04:
                local = local + "+shop"
            v = local + "@" + p.domain
        elif kind == "phone":
            v = p.cc + str(6 + (pid & 1)) + f"{(pid * 7919 + 12345678) % 100_000_000:08d}"
        elif kind == "fb":
            v = "fb:" + str(10 ** 15 + (pid * 2862933555777941757 + 77) % (9 * 10 ** 15))
        elif kind == "social":
            if r() < 0.5:
                v = f"x:@{p.first_a}{p.last_a[:3]}{pid}"
            else:
                v = "ig:" + (p.first.lower() if r() < 0.3 else p.first_a) + "." + str(pid)
        elif kind == "review":
            v = f"tp:{p.first_a}{(p.last_a or 'x')[0]}{pid}"
        elif kind == "market":
            if r() < 0.7:
                x, s = (pid * 1_000_000_007 + 12345) % (36 ** 12), []
                for _ in range(12):
                    x, d = divmod(x, 36)
                    s.append("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[d])
                v = "amzn:A" + "".join(s)
            else:
                v = f"cdisc:{(pid * 48271 + 99) % 10 ** 9:09d}"
        elif kind == "visitor":
            v = f"visitor:{(pid * 0x9E3779B97F4A7C15 + 0xABCDEF) % (1 << 48):012x}"
        else:
            raise AssertionError(kind)
        p.ids[kind] = v
        return v

    def conv_for(self, p: Person, ch: str, force_new: bool) -> Conv | None:
        c = p.convs.get(ch)
        if c is not None and not force_new:
            if not c.busy:
                return c
            if ch not in ("email", "form", "marketplace", "other"):
                return None
        r = self.r
        kind = ID_KIND[ch]
        if kind == "chat":
            kind = "email" if p.logged else "visitor"
        new_kind = kind not in p.ids
        cust = self.person_id(p, kind)
        c = Conv()
        self.conv_count += 1
        c.cid = f"conv-{self.conv_count:06d}"
        c.person = p
        c.channel = ch
        c.cust = cust
        c.busy = False
        c.status = None
        c.assignee = None
        c.team = None
        c.category = None
        c.priority = None
        c.episodes = 0
        c.last = 0
        c.subject = None
        c.lang = p.lang if p.lang in ("fr", "en") else "en"
        c.link = None
        if kind != "visitor":
            if p.primary is None:
                p.primary = cust
            elif new_kind and r() < 0.5:
                c.link = (p.primary, cust)
        p.convs[ch] = c
        return c

    # ----- bodies -----------------------------------------------------------------------------

    def body_len(self, med: int) -> int:
        return self.ln(med, 0.7) + 14

    def prose(self, parts: list, first: Pool, second: Pool, share: float, target: int, nl: str) -> None:
        """Appends sentences from two pools (`share` of them from `first`) until `target` bytes.
        Each pool is walked from a random start, so sentences do not repeat until a pool is used up."""
        r = self.r
        i, j = int(r() * first.k), int(r() * second.k)
        n = 0
        while n < target:
            if r() < share:
                parts.append(first.e[i])
                n += first.n[i] + 1
                i = (i + 1) % first.k
            else:
                parts.append(second.e[j])
                n += second.n[j] + 1
                j = (j + 1) % second.k
            parts.append(" " if r() < 0.7 else nl)

    def cust_body(self, c: Conv, cat: str, opening: bool, kind: str) -> str:
        """A customer's message body, JSON-escaped."""
        r = self.r
        p = c.person
        T = self.cust[p.lang]
        ch = c.channel
        P = CHP[ch]
        if kind == "thanks":
            pool = T["thanks"]
            return pool.e[int(r() * pool.k)]
        if kind == "nudge":
            pool = T["nudge"]
            return pool.e[int(r() * pool.k)]
        g = T["generic"]
        if kind == "incident" and opening:
            it = self.incident_text[cat]
            s = it[2] if p.lang == "fr" else it[3]
            if not P["short"]:
                gr, cl = T["greet"], T["close"]
                s = (gr.e[int(r() * gr.k)] + "\\n\\n" + s + " " + g.e[int(r() * g.k)] + "\\n\\n" +
                     cl.e[int(r() * cl.k)] + "\\n" + p.first_e)
            elif r() < 0.3:
                s += " " + g.e[int(r() * g.k)]
            return s
        if ch == "review":
            pool = T["review_bad"] if r() < 0.7 else T["review_good"]
            s = pool.e[int(r() * pool.k)]
            if r() < 0.6:
                parts = [s, " "]
                self.prose(parts, T["cat"].get(cat) or g, g, 0.5, self.body_len(120), " ")
                s = "".join(parts)
            return s
        if P["short"]:
            sh = T["short"]
            catp = T["cat"].get(cat) or g
            if opening and r() < 0.65:
                s = catp.e[int(r() * catp.k)]
                if r() < 0.4:
                    s += " " + sh.e[int(r() * sh.k)]
                if ch == "social" and r() < 0.5:
                    s = "@ParleyShop " + s + (" #SAV" if p.lang == "fr" else " #help")
            else:
                s = sh.e[int(r() * sh.k)]
                v = r()
                if v < 0.3:
                    s += " " + sh.e[int(r() * sh.k)]
                elif v < 0.65:
                    s += " " + (catp.e[int(r() * catp.k)] if r() < 0.5 else g.e[int(r() * g.k)])
            if r() < 0.012:
                # A forwarded or pasted block (an old email, a delivery notice...).
                s += self.thread_quote(c, 1_500 + int(r() * 4_000), "\\n")
            return s
        # Long form: email, form, marketplace, other.
        target = self.body_len(P["lmed"] if opening else P["lmed"] // 2)
        nl = "\\r\\n" if (ch == "email" and r() < 0.12) else "\\n"
        gr = T["greet"] if opening else T["follow_greet"]
        parts = [gr.e[int(r() * gr.k)], nl, nl]
        if ch == "marketplace":
            parts.insert(0, ("Message de l'acheteur concernant la commande " if c.lang == "fr" else
                             "Buyer message about order ") + f"{int(r() * 900) + 100}-{int(r() * 9000000) + 1000000}-"
                         f"{int(r() * 9000000) + 1000000}" + nl + nl)
        if r() < 0.6:
            on = 40_000_000 + int(r() * 9_999_999)
            parts.append(("Commande n° " if p.lang == "fr" else "Order #") + str(on) + ". ")
        self.prose(parts, T["cat"].get(cat) or g, g, 0.6, target, nl)
        cl = T["close"]
        parts += [nl, nl, cl.e[int(r() * cl.k)], nl, p.first_e]
        u = r()
        if u < 0.003 or (cat == "technical" and u < 0.012):
            parts.append(nl + nl + ("Voici les logs :" if p.lang == "fr" else "Here are the logs:") + nl)
            parts.append(self.log_block(20_000 + int(r() * 41_000), nl))
        elif u < 0.085 and ch != "marketplace":
            parts.append(self.thread_quote(c, 2_000 + int(r() * 10_000), nl))
        return "".join(parts)

    def log_block(self, size: int, nl: str) -> str:
        L = self.logs
        k = size // self.log_avg + 1
        i = int(self.r() * L.k)
        out = []
        while k > 0:
            take = min(k, L.k - i)
            out.extend(L.e[i:i + take])
            k -= take
            i = 0
        return nl.join(out)

    def quote_lines(self, lang: str, clang: str) -> tuple[list[str], int]:
        """Pre-built quoted lines ("> ...") of an earlier thread, per (agent, customer) language."""
        key = lang + clang
        q = self._quotes.get(key)
        if q is None:
            qr = random.Random(0xC0FFEE).random
            A = self.agent[lang]
            T = self.cust[clang]
            pools = (A["generic"], T["generic"], A["short"], T["short"])
            lines, n = [], 0
            for _ in range(400):
                pool = pools[int(qr() * 4)]
                i = int(qr() * pool.k)
                lines.append("> " + pool.e[i])
                n += pool.n[i] + 3
                if qr() < 0.08:
                    lines.append(">")
                    lines.append("> <div dir=\\\"ltr\\\">&gt; Le " + str(int(qr() * 28) + 1) +
                                 " mars, Service client a écrit :</div>")
                    n += 70
            q = self._quotes[key] = (lines, n // len(lines) + 1)
        return q

    def thread_quote(self, c: Conv, size: int, nl: str) -> str:
        """A quoted earlier thread, as mail clients append it."""
        A = self.agent[c.lang]
        lines, avg = self.quote_lines(c.lang, c.person.lang)
        k = size // avg + 1
        i = int(self.r() * len(lines))
        out = lines[i:i + k]
        while len(out) < k:
            out.extend(lines[:k - len(out)])
        return nl.join([nl, A["thread"], A["from"] + "Service client <support@parley-shop.example>", ""] + out)

    def agent_body(self, c: Conv, agent: str, cat: str, short: bool) -> str:
        r = self.r
        A = self.agent[c.lang]
        catp = A["cat"].get(cat) or A["generic"]
        gen = A["generic"]
        if short:
            sh = A["short"]
            s = sh.e[int(r() * sh.k)]
            if r() < 0.65:
                s += " " + (catp.e[int(r() * catp.k)] if r() < 0.6 else gen.e[int(r() * gen.k)])
            return s
        nl = "\\n"
        parts = [A["greet"], c.person.first_e, ",", nl, nl]
        self.prose(parts, catp, gen, 0.45, self.body_len(280), nl)
        if r() < 0.045:
            parts += [nl, A["long_intro"], nl]
            size = 2000 + int(r() * 6000)
            n = 0
            step = 1
            while n < size:
                pool = catp if r() < 0.5 else gen
                i = int(r() * pool.k)
                parts.append(f"{step}.\\t" + pool.e[i] + nl)
                n += pool.n[i] + 4
                step += 1
        parts += [nl, A["sign"], nl, self.agent_display.get(agent, "Support"), nl, A["team"]]
        return "".join(parts)

    def note_body(self) -> str:
        r = self.r
        N = self.notes
        s = N.e[int(r() * N.k)]
        u = r()
        if u < 0.25:
            s += "\\n" + N.e[int(r() * N.k)]
        elif u < 0.27:
            s += "\\n" + self.log_block(2_000 + int(r() * 6_000), "\\n")
        elif u < 0.275:
            s += "\\n" + self.log_block(20_000 + int(r() * 30_000), "\\n")
        return s

    # ----- event lines ------------------------------------------------------------------------

    def cust_at(self, c: Conv, t: int) -> tuple[int, str]:
        """Quantize `t` to the source's precision and format it in the source's offset."""
        ch = c.channel
        z = self.zones
        if ch == "email" or ch == "other":
            t = ceil_s(t)
            tz = c.person.tz
            return t, fmt_time(t, z.paris(t) if tz == "paris" else (z.ny(t) if tz == "ny" else 0), 0)
        if ch == "sms":
            t = ceil_s(t)
            return t, fmt_time(t, z.paris(t), 0)
        if ch == "marketplace":
            return t, fmt_time(t, z.ny(t), 6)
        if ch == "review" or ch == "social":
            t = ceil_s(t)
            return t, fmt_time(t, 0, 0)
        t = ceil_ms(t)
        return t, fmt_time(t, 0, 3)

    def desk_at(self, t: int) -> tuple[int, str]:
        if self.r() < 0.7:
            t = ceil_ms(t)
            return t, fmt_time(t, self.zones.paris(t), 3)
        t = ceil_s(t)
        return t, fmt_time(t, self.zones.paris(t), 0)

    def bot_at(self, t: int) -> tuple[int, str]:
        t = ceil_ms(t)
        return t, fmt_time(t, 0, 3)

    def msg(self, items: list, c: Conv, t: int, cat: str, opening: bool, kind: str, floor: int) -> int:
        """Plans a message_received at arrival time `t`; returns its (quantized) arrival time."""
        r = self.r
        ch = c.channel
        P = CHP[ch]
        body = self.cust_body(c, cat, opening, kind)
        mid = ""
        if r() < P["mid"]:
            if ch == "email":
                mid = f',"message_id":"<{self.hexid(64)}@mail.{c.person.domain}>"'
            elif ch == "whatsapp":
                mid = f',"message_id":"wamid.{self.hexid(96)}"'
            elif ch == "messenger":
                mid = f',"message_id":"m_{self.hexid(80)}"'
            elif ch == "marketplace":
                mid = f',"message_id":"mkp-{self.hexid(48)}"'
            elif ch == "social" or ch == "review":
                mid = f',"message_id":"{ch}-{int(r() * 10 ** 12)}"'
            else:
                mid = f',"message_id":"{ch}-{self.hexid(40)}"'
        subj = ""
        if P["subj"] and r() < P["subj"]:
            fresh = opening and (kind == "new" or kind == "incident")
            if c.subject is None or (fresh and r() < 0.5) or kind == "incident":
                if kind == "incident":
                    c.subject = self.incident_text[cat][0 if c.lang == "fr" else 1]
                else:
                    S = self.subjects[c.lang]
                    sp = S.get(cat) or S["other"]
                    c.subject = sp.e[int(r() * sp.k)]
                if ch == "form":
                    c.subject = "[Formulaire] " + c.subject if c.lang == "fr" else "[Web form] " + c.subject
            s = c.subject
            if not fresh:
                s = ("RE: " if r() < 0.3 else "Re: ") + s
            subj = f',"subject":"{s}"'
        late = ch == "email" and r() < P["late"]
        if late:
            # Store-and-forward delay: `at` is minutes to hours before the arrival (log) time, but
            # never before an earlier event of its own conversation.
            key, _ = self.cust_at(c, t)
            for k, _, _ in items:
                if floor < k <= key:
                    floor = k
            delay = self.ln(25 * MIN, 1.3)
            at_t = ceil_s(max(key - delay, floor + SEC, self.t_begin + SEC))
            if at_t >= key:
                at_t = key
            tz = c.person.tz
            z = self.zones
            at = fmt_time(at_t, z.paris(at_t) if tz == "paris" else (z.ny(at_t) if tz == "ny" else 0), 0)
            if at_t < key:
                self.late_count += 1
        else:
            key, at = self.cust_at(c, t)
        items.append((key, len(items),
                      f'{{"type":"message_received","at":"{at}","conversation":"{c.cid}","customer":"{c.cust}",'
                      f'"channel":"{ch}"{mid}{subj},"body":"{body}"}}\n'))
        return key

    def reply(self, items: list, c: Conv, t: int, author: str, body: str, auto: bool, bot: bool) -> int:
        key, at = self.bot_at(t) if bot else self.desk_at(t)
        items.append((key, len(items),
                      f'{{"type":"reply_sent","at":"{at}","conversation":"{c.cid}","author":"{author}",'
                      f'"auto":{"true" if auto else "false"},"body":"{body}"}}\n'))
        return key

    def assign(self, items: list, c: Conv, t: int, agent: str | None, team: str | None) -> int:
        key, at = self.desk_at(t)
        a = f'"{agent}"' if agent else "null"
        tm = f',"team":"{team}"' if team else ""
        items.append((key, len(items),
                      f'{{"type":"assigned","at":"{at}","conversation":"{c.cid}","assignee":{a}{tm}}}\n'))
        c.assignee = agent
        c.team = team
        return key

    def status(self, items: list, c: Conv, t: int, status: str, system: bool = False) -> int:
        if system:
            key = ceil_s(t)
            at = fmt_time(key, 0, 0)
        else:
            key, at = self.desk_at(t)
        items.append((key, len(items),
                      f'{{"type":"status_changed","at":"{at}","conversation":"{c.cid}","status":"{status}"}}\n'))
        c.status = status
        return key

    def categorize(self, items: list, c: Conv, t: int, cat: str, prio: str | None) -> int:
        key, at = self.desk_at(t)
        pr = f',"priority":"{prio}"' if prio else ""
        items.append((key, len(items),
                      f'{{"type":"categorized","at":"{at}","conversation":"{c.cid}","category":"{cat}"{pr}}}\n'))
        c.category = cat
        c.priority = prio
        return key

    def note(self, items: list, c: Conv, t: int, author: str, body: str) -> int:
        key, at = self.bot_at(t) if author.startswith("bot:") else self.desk_at(t)
        items.append((key, len(items),
                      f'{{"type":"note_added","at":"{at}","conversation":"{c.cid}","author":"{author}",'
                      f'"body":"{body}"}}\n'))
        return key

    def link(self, items: list, t: int, a: str, b: str, bot: bool) -> int:
        key, at = self.bot_at(t) if bot else self.desk_at(t)
        items.append((key, len(items), f'{{"type":"customer_linked","at":"{at}","customer":"{a}","same_as":"{b}"}}\n'))
        return key

    # ----- episodes ---------------------------------------------------------------------------

    def pick_agent(self, team: str, avoid: str | None = None) -> str:
        ag = self.team_agents[team]
        a = ag[int(self.r() * len(ag))]
        if a == avoid:
            a = ag[(ag.index(a) + 1) % len(ag)]
        return a

    def cust_delay(self, t: int, med: int, sigma: float) -> int:
        """t + a customer's answer time; customers rarely write between 00:00 and 07:00 local."""
        t2 = t + self.ln(med, sigma)
        off = self.zones.paris(t2) * MIN
        h = ((t2 + off) // HOUR) % 24
        if h < 7 and self.r() < 0.85:
            t2 += (7 - h) * HOUR + int(self.r() * 3 * HOUR)
        return t2

    def plan_episode(self, c: Conv, t0: int, kind: str, cat: str | None, load: float) -> list:
        """Plans one episode of conversation `c` starting with a customer message at `t0`.
        Returns its events (key, order, line), unsorted; sets self.reopen for the chain."""
        r = self.r
        cal = self.cal
        ch = c.channel
        P = CHP[ch]
        items: list = []
        c.episodes += 1
        self.episode_count += 1
        if cat is None:
            cat = c.category if (c.category and r() < 0.5) else CATEGORIES[self.pick_cum(self.cat_cum[ch])]
        prev_status = c.status
        t = self.msg(items, c, t0, cat, True, kind, c.last)
        if prev_status == "resolved" and r() < 0.35:
            self.status(items, c, t + SEC + int(r() * 4 * SEC), "open", system=True)
        elif prev_status == "pending" and r() < 0.4:
            self.status(items, c, t + SEC + int(r() * 4 * SEC), "open", system=True)
        c.status = "open"
        live = cal.is_open(t)
        lang = c.lang
        # Automatic answers.
        if ch == "chat":
            cb = self.chatbot[lang]
            tb = self.reply(items, c, t + SEC + int(r() * 3 * SEC), "bot:assistant", cb.e[int(r() * cb.k)], True, True)
            if not live:
                self.reply(items, c, tb + 500_000 + int(r() * SEC), "bot:assistant", self.chatbot_off[lang], True, True)
        elif kind != "thanks" and r() < P["ack"]:
            a, b = self.ack[lang]
            self.reply(items, c, t + SEC + int(r() * 50 * SEC), "bot:autoreply", a + c.cid + b, True, True)
        elif P["short"] and not live and r() < 0.6:
            self.reply(items, c, t + 2 * SEC + int(r() * 20 * SEC), "bot:away", self.away[lang], True, True)
        if c.link is not None:
            a, b = c.link
            c.link = None
            if r() < 0.5:
                self.link(items, t + 3 * SEC + int(r() * 60 * SEC), a, b, True)
            else:
                self.link(items, cal.add(t, self.ln(40 * MIN, 1.0)), a, b, False)
        if r() < 0.08:
            bn = self.botnotes
            self.note(items, c, t + 2 * SEC + int(r() * 30 * SEC), "bot:triage", bn.e[int(r() * bn.k)])

        prio = PRIORITIES[self.pick_cum(self.prio_cum)]
        if kind == "incident" and r() < 0.5:
            prio = "high"
        speed = PRIO_SPEED[prio] * load
        chat_live = ch == "chat" and live
        team = TEAM_BY_CHANNEL[ch]

        # "Thanks" after a resolution: closed without an answer.
        if kind == "thanks":
            if c.assignee is None or r() < 0.3:
                self.assign(items, c, cal.add(t, self.ln(30 * MIN, 1.0)), self.pick_agent(team), team)
            tr = cal.add(t, self.ln(40 * MIN * load, 1.0))
            self.status(items, c, max(tr, max(k for k, _, _ in items) + SEC), "resolved")
            self.reopen = None
            return items

        # Customer bursts: several short lines before anybody answers.
        tc = t
        if r() < P["burst"]:
            for _ in range(1 + int(r() * 3)):
                tc = self.msg(items, c, tc + self.ln(20 * SEC if ch == "chat" else 60 * SEC, 0.8), cat, False, "burst", tc)

        # Triage: assignment and category.
        if chat_live:
            ta = tc + self.ln(40 * SEC * load, 0.8)
        else:
            ta = cal.add(t, self.ln(P["frt"] * 0.25 * speed, 1.0))
        if c.assignee is None or c.episodes == 1 or r() < 0.25:
            agent = self.pick_agent(team, c.assignee)
            ta = self.assign(items, c, ta, agent, team if r() < 0.85 else None)
        else:
            agent = c.assignee
        recat = c.episodes == 1 or r() < 0.3
        if recat and not chat_live and (r() < 0.76 or kind == "incident"):
            tk = self.categorize(items, c, ta + self.ln(2 * MIN, 1.2), cat, prio)
        else:
            tk = ta
        if r() < 0.14:
            self.note(items, c, tk + self.ln(3 * MIN, 1.0), agent, self.note_body())

        # Closed without any reply (spam, duplicate, public review not worth an answer...).
        if r() < P["noreply"]:
            if chat_live:
                self.categorize(items, c, ta + self.ln(3 * MIN, 0.8), "other", "low")
            tr = cal.add(tk, self.ln(30 * MIN, 1.2))
            self.status(items, c, max(tr, max(k for k, _, _ in items) + SEC), "resolved")
            self.reopen = None
            return items

        # Abandoned: stays open forever.
        if r() < 0.008:
            self.reopen = None
            c.status = "open"
            return items

        # First human answer.
        if chat_live:
            tr = max(ta, tc) + self.ln(70 * SEC * load, 0.8)
        else:
            tr = cal.add(t, self.ln(P["frt"] * speed, 1.0))
            tr = max(tr, tk + self.ln(2 * MIN, 1.0))
        if r() < P["nudge"]:
            tn = self.cust_delay(t, P["cust"] * 2, 1.0)
            if tn < tr - MIN:
                self.msg(items, c, tn, cat, False, "nudge", tn)
        # Reassignment to a specialist team before answering.
        esc_team = ESCALATION_TEAM.get(cat)
        if esc_team and r() < 0.15:
            ag2 = self.pick_agent(esc_team)
            tx = self.assign(items, c, max(tk, ta) + self.ln(20 * MIN, 1.0), ag2, esc_team)
            if r() < 0.6:
                self.note(items, c, tx + self.ln(MIN, 1.0), agent, self.note_body())
            agent = ag2
            tr = max(tr, tx + self.ln(5 * MIN, 1.0))
            if chat_live:
                tr = tx + self.ln(90 * SEC, 0.8)
        short = P["short"]
        tr = self.reply(items, c, tr, agent, self.agent_body(c, agent, cat, short), False, False)
        if short and r() < 0.35:
            tr = self.reply(items, c, tr + self.ln(25 * SEC, 0.8), agent, self.agent_body(c, agent, cat, True), False, False)

        # Back-and-forth rounds.
        rounds = 0
        end = tr
        resolved_by_system = False
        while True:
            rounds += 1
            pending = (not chat_live) and r() < (P["pend"] if rounds == 1 else 0.4 * P["pend"])
            if pending:
                tp = self.status(items, c, end + 2 * SEC + int(r() * 30 * SEC), "pending")
                if r() < 0.6:
                    tcm = self.cust_delay(tp, max(P["cust"], 2 * HOUR), 1.2)
                    tcm = self.msg(items, c, tcm, cat, False, "reply", tp)
                    if r() < 0.4:
                        self.status(items, c, tcm + SEC + int(r() * 3 * SEC), "open", system=True)
                    else:
                        c.status = "open"
                else:
                    # No answer: automatic resolution after 3-7 days.
                    end = self.status(items, c, tp + 3 * DAY + int(r() * 4 * DAY), "resolved", system=True)
                    resolved_by_system = True
                    break
            elif rounds <= 12 and r() < (P["cont"] if chat_live or ch != "chat" else 0.72):
                # (A chat that started while nobody was there continues like a messaging thread.)
                med = 40 * SEC if chat_live else (12 * MIN if ch == "chat" else P["cust"])
                tcm = self.cust_delay(end, med, 1.1) if not chat_live else end + self.ln(med, 0.8)
                tcm = self.msg(items, c, tcm, cat, False, "reply", end)
                if short and r() < 0.55:
                    tcm = self.msg(items, c, tcm + self.ln(15 * SEC if chat_live else 40 * SEC, 0.7), cat, False,
                                   "burst", tcm)
            else:
                break
            # Agent answer to that customer message.
            if chat_live:
                ta2 = tcm + self.ln(60 * SEC * load, 0.8)
            else:
                ta2 = cal.add(tcm, self.ln(P["frt"] * 0.6 * speed, 1.0))
            if r() < 0.02:
                # The owner is away: unassigned, then picked up by someone else later.
                tu = self.assign(items, c, tcm + self.ln(30 * MIN, 1.0), None, c.team)
                ag2 = self.pick_agent(c.team or team, agent)
                ta2 = max(ta2, cal.add(tu, self.ln(3 * HOUR, 1.0)))
                self.assign(items, c, max(tu + MIN, ta2 - self.ln(2 * MIN, 0.5)), ag2, c.team)
                agent = ag2
                ta2 = max(ta2, tu + 2 * MIN)
            elif r() < 0.03:
                ag2 = self.pick_agent(c.team or team, agent)
                ta2 = self.assign(items, c, ta2, ag2, c.team) + self.ln(4 * MIN, 1.0)
                agent = ag2
            if r() < 0.09:
                self.note(items, c, max(tcm + SEC, ta2 - self.ln(MIN, 0.5)), agent, self.note_body())
            end = self.reply(items, c, max(ta2, tcm + SEC), agent, self.agent_body(c, agent, cat, short), False, False)
            if short and r() < 0.3:
                end = self.reply(items, c, end + self.ln(25 * SEC, 0.8), agent, self.agent_body(c, agent, cat, True),
                                 False, False)

        if chat_live and recat and r() < 0.75:
            end = self.categorize(items, c, end + self.ln(40 * SEC, 0.8), cat, prio)
        if not resolved_by_system:
            if chat_live:
                te = end + self.ln(3 * MIN, 1.0)
            elif r() < 0.45:
                te = end + 2 * SEC + int(r() * 40 * SEC)
            else:
                te = cal.add(end, self.ln(90 * MIN, 1.2))
            if r() < 0.03:
                self.reopen = None
                return items  # left open by mistake
            if r() < 0.08:
                self.note(items, c, max(end + SEC, te - self.ln(MIN, 0.5)), agent, self.note_body())
            end = self.status(items, c, max(te, max(k for k, _, _ in items) + SEC), "resolved")
        # Reopen chain: the customer writes again soon after.
        u = r()
        if u < 0.14:
            v = r()
            if v < 0.45:
                dt = self.ln(5 * HOUR, 1.0)
            elif v < 0.85:
                dt = DAY + int(r() * 6 * DAY)
            else:
                dt = 7 * DAY + int(r() * 14 * DAY)
            self.reopen = (self.cust_delay(end, dt, 0.3), "thanks" if r() < 0.3 else "followup", cat)
        else:
            self.reopen = None
        return items

    # ----- main loop --------------------------------------------------------------------------

    def run(self, write):
        N = self.N
        if N <= 0:
            return
        heap = self.heap
        push = heapq.heappush
        pop = heapq.heappop
        self.late_count = 0
        counts = self.type_counts
        # Policies: the first at local midnight of the first day, the others at 07:30 on their day.
        for i, (lday, pol) in enumerate(self.policies):
            tl = lday * DAY + (0 if i == 0 else 7 * HOUR + 30 * MIN)
            t = tl - self.zones.paris(tl - 2 * HOUR) * MIN
            t = ceil_s(t)
            line = ('{"type":"policy_set","at":"' + fmt_time(t, self.zones.paris(t), 0) + '","policy":' +
                    json.dumps(policy_json(pol), ensure_ascii=False, separators=(",", ":")) + "}\n")
            self.seq += 1
            push(heap, (t, self.seq, line, None))
            if i == 0:
                self.t_begin = t
        epe = EVENTS_PER_EPISODE
        base = N / (self.total_w * epe)
        emitted = 0
        buf: list[str] = []
        day = 0
        while True:
            lday = self.start_day + day
            # Rate control: keep the emitted count near the plan (gently, so the rhythm survives).
            w = self.weights[day] if day < self.days else self.day_weight(day, base_only=True)
            factor = 1.0
            if day >= 3 and day < self.days:
                lag = N * (self.cum_w[day - 1] - 0.5 * self.weights[day - 1]) / self.total_w
                ratio = (lag + 0.01 * N) / (emitted + 0.01 * N)
                factor = min(1.4, max(0.7, ratio * ratio * ratio))
            self.schedule_day(day, lday, base * w * factor)
            day_end = (lday + 1) * DAY - self.zones.paris((lday + 1) * DAY - 2 * HOUR) * MIN
            while heap and heap[0][0] < day_end:
                t, _, line, g = pop(heap)
                if line is None:
                    g = self.start_episode(t, g)
                    if g is None:
                        continue
                else:
                    buf.append(line)
                    emitted += 1
                    if counts is not None:
                        k = line[9:line.index('"', 9)]
                        counts[k] = counts.get(k, 0) + 1
                    if emitted >= N:
                        self.last_lday = lday
                        write("".join(buf))
                        return
                    if len(buf) >= 4096:
                        write("".join(buf))
                        buf.clear()
                    if g is None:
                        continue
                nxt = next(g, None)
                if nxt is not None:
                    if nxt[0] < t:
                        raise AssertionError(f"event planned in the past: {nxt[2][:200]}")
                    self.seq += 1
                    push(heap, (nxt[0], self.seq, nxt[2], g))
            day += 1

    def schedule_day(self, d: int, lday: int, mu: float):
        r = self.r
        if mu < 30:
            n = int(mu + r())
        else:
            n = max(0, int(mu + math.sqrt(mu) * self.z() + r()))
        wk = 1 if date_of(lday).weekday() >= 5 or self.cal.holiday(lday) else 0
        inc = self.incidents.get(d) if d < self.days else None
        load = 1.0
        if inc:
            load = 3.0
        elif d >= 1 and self.incidents.get(d - 1):
            load = 1.8
        base_share = 1.0 / inc[0] if inc else 1.0
        heap = self.heap
        for _ in range(n):
            if inc and r() > base_share:
                ch = CHANNELS[self.pick_cum(self.inc_ch_cum)]
                hour = inc[2] + int(r() * r() * 9)
                if hour > 23:
                    hour = 23
                params = (ch, inc[1], load, "incident")
            else:
                ch = CHANNELS[self.pick_cum(self.ch_cum)]
                hour = self.pick_cum(self.prof_cum[CHANNEL_PROFILE[ch]][wk])
                params = (ch, None, load, "new")
            tl = lday * DAY + hour * HOUR + int(r() * HOUR)
            t = tl - self.zones.paris(tl - HOUR) * MIN
            self.seq += 1
            heapq.heappush(heap, (t, self.seq, None, params))

    def start_episode(self, t: int, params):
        r = self.r
        ch, cat, load, kind = params
        p = None
        if kind != "incident" and self.pool and r() < 0.3:
            p = self.pool[int(r() * len(self.pool))]
            if r() < 0.75:
                ch = p.fav
        c = None
        if p is not None:
            c = self.conv_for(p, ch, ch == "email" and r() < 0.25)
        if c is None:
            p = self.new_person(ch)
            c = self.conv_for(p, ch, False)
        return self.conv_gen(c, t, kind, cat, load)

    def conv_gen(self, c: Conv, t: int, kind: str, cat, load: float):
        c.busy = True
        try:
            while True:
                items = self.plan_episode(c, t, kind, cat, load)
                nxt = self.reopen
                items.sort()
                c.last = items[-1][0]
                yield from items
                if nxt is None:
                    return
                t, kind, cat = nxt
                load = 1.0
        finally:
            c.busy = False


EVENTS_PER_EPISODE = 12.2


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="generate_workload.py",
        description="Deterministic generator of a year of Parley customer-support events (JSON Lines, log order).",
        epilog="Example: python3 tools/generate_workload.py --events 1000000 --seed 7 --out /tmp/year.jsonl")
    ap.add_argument("--events", type=int, required=True, metavar="N", help="number of events (lines) to write")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    ap.add_argument("--start", default="2025-01-06", metavar="YYYY-MM-DD",
                    help="first day, Europe/Paris local (default: 2025-01-06, a Monday)")
    ap.add_argument("--days", type=int, default=365, metavar="D", help="days of traffic to spread N over (default: 365)")
    ap.add_argument("--out", default="-", metavar="FILE", help="output file (default: stdout)")
    ap.add_argument("--stats", action="store_true", help="print a summary (event mix, span, incidents) to stderr")
    args = ap.parse_args(argv)
    if args.events < 0:
        ap.error("--events must be >= 0")
    if args.days < 1:
        ap.error("--days must be >= 1")
    try:
        start = _dt.date.fromisoformat(args.start)
    except ValueError:
        ap.error(f"--start: not a date: {args.start!r}")
    if not 1900 <= start.year <= 2200:
        ap.error("--start: year out of range")
    # No reference cycles outlive their use (see new_person), so the cyclic GC is only overhead.
    gc.disable()
    gen = Generator(args.events, args.seed, start, args.days)
    if args.stats:
        gen.type_counts = {}
    out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    stats = {"bytes": 0}

    def write(s: str) -> None:
        b = s.encode("utf-8")
        stats["bytes"] += len(b)
        out.write(b)

    try:
        gen.run(write)
        out.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if args.out != "-":
            out.close()
    if args.stats:
        n = max(1, args.events)
        print("mix: " + ", ".join(f"{k} {v} ({100 * v / n:.2f}%)" for k, v in
                                  sorted(gen.type_counts.items(), key=lambda kv: -kv[1])), file=sys.stderr)
        print(f"events: {args.events}  bytes: {stats['bytes']}  conversations: {gen.conv_count}  "
              f"persons: {gen.pid_count}  late emails: {gen.late_count}  episodes: {gen.episode_count}  "
              f"last day: {date_of(gen.last_lday)}", file=sys.stderr)
        print("incidents: " + ", ".join(f"{date_of(gen.start_day + d)} x{m:.1f} {k}" for d, (m, k, _) in
                                        sorted(gen.incidents.items())), file=sys.stderr)
        print("policies: " + ", ".join(f"{date_of(d)} {p['name']} v{p['version']}" for d, p in gen.policies),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
