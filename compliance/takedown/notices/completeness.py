"""Check a notice element by element against the law, so each ticket shows what is present, where, and what is missing.

17 U.S.C. 512(c)(3)(A): a notification must include "substantially the following: (i) A physical or electronic
signature of a person authorized to act on behalf of the owner of an exclusive right that is allegedly infringed. (ii)
Identification of the copyrighted work claimed to have been infringed, or, if multiple copyrighted works at a single
online site are covered by a single notification, a representative list of such works at that site. (iii)
Identification of the material that is claimed to be infringing or to be the subject of infringing activity and that
is to be removed or access to which is to be disabled, and information reasonably sufficient to permit the service
provider to locate the material. (iv) Information reasonably sufficient to permit the service provider to contact the
complaining party, such as an address, telephone number, and, if available, an electronic mail address ... (v) A
statement that the complaining party has a good faith belief that use of the material in the manner complained of is
not authorized by the copyright owner, its agent, or the law. (vi) A statement that the information in the
notification is accurate, and under penalty of perjury, that the complaining party is authorized to act on behalf of
the owner of an exclusive right that is allegedly infringed." 512(c)(3)(B)(ii): a notification that "fails to comply
substantially with all the provisions of subparagraph (A) but substantially complies with clauses (ii), (iii), and
(iv)" still counts unless the provider "promptly attempts to contact the person making the notification or takes other
reasonable steps to assist in the receipt of notification that substantially complies": that is our `cure_needed` (a
cure-request letter, and a clock starts).

17 U.S.C. 512(g)(3) counter notification: "(A) A physical or electronic signature of the subscriber. (B)
Identification of the material that has been removed or to which access has been disabled and the location at which
the material appeared before it was removed or access to it was disabled. (C) A statement under penalty of perjury
that the subscriber has a good faith belief that the material was removed or disabled as a result of mistake or
misidentification of the material to be removed or disabled. (D) The subscriber's name, address, and telephone number,
and a statement that the subscriber consents to the jurisdiction of Federal District Court for the judicial district
in which the address is located, or if the subscriber's address is outside of the United States, for any judicial
district in which the service provider may be found, and that the subscriber will accept service of process from the
person who provided notification under subsection (c)(1)(C) or an agent of such person." 512(g) has no cure provision,
so a counter-notice is `complete` or `deficient`.

Regulation (EU) 2022/2065 (DSA) Article 16(2): "(a) a sufficiently substantiated explanation of the reasons why the
individual or entity alleges the information in question to be illegal content; (b) a clear indication of the exact
electronic location of that information, such as the exact URL or URLs, and, where necessary, additional information
enabling the identification of the illegal content ...; (c) the name and email address of the individual or entity
submitting the notice, except in the case of information considered to involve one of the offences referred to in
Articles 3 to 7 of Directive 2011/93/EU; (d) a statement confirming the bona fide belief of the individual or entity
submitting the notice that the information and allegations contained therein are accurate and complete."
Art. 16(3): notices give actual knowledge where they let "a diligent provider of hosting services ... identify the
illegality ... without a detailed legal examination"; the DSA has no cure step, so a DSA notice missing an element is
`deficient`. No name and email is no defect for child sexual abuse offences (16(2)(c)): reported present, with the span
that shows it. Retractions, reversals and other messages are not takedown requests: `complete`, no elements. A redacted
value (`[private]`, `[REDACTED]`) counts as present throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from compliance.takedown.notices.model import (
    COUNTER_ELEMENTS,
    DMCA_ELEMENTS,
    DSA_ELEMENTS,
    Completeness,
    ElementCheck,
)
from compliance.takedown.notices.patterns import (
    DSA_BONA_FIDE,
    DSA_REASONS,
    DSA_REASONS_Q,
    MATERIAL_PHRASES,
    MATERIAL_Q,
    RED,
    RED_PLACE,
    WORK,
    WORK_Q,
)
from compliance.takedown.notices.service import (
    NO_SERVICE,
    Service,
    own_contact_pattern,
    strip_own_emails,
)
from compliance.takedown.notices.signatures import closing_block, signature
from compliance.takedown.notices.spans import (
    Finder,
    Span,
    blank_lines_with,
    detection_text,
    form_answers,
    sentence_finder,
)
from compliance.takedown.notices.urls import classify_urls, is_root_or_profile

EVIDENCE_MAX = 200
_I = re.IGNORECASE
_RED = re.compile(RED, _I)
_PLACE = re.compile(RED_PLACE, _I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", _I)


def _contact(det: str, service: Service = NO_SERVICE) -> list[Span]:
    """512(c)(3)(A)(iv), 512(g)(3)(D): an address, telephone number or e-mail, as a value or a redacted field.

    Lines quoting the service's own address or mailbox (the addressee's, not the sender's) and redactions that stood
    for a link or a site are left out."""
    own = own_contact_pattern(service)
    clean = _PLACE.sub(lambda m: " " * len(m.group()), blank_lines_with(det, own) if own is not None else det)
    val = rf"(?:{RED}|\+?\(?\d[\d\s().-]{{6,}}\d|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|(?<![\w.+-])[\w.+-]+\s+(?-i:AT)\s+[\w-]+\.\w+)"
    spans = sentence_finder(
        r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[a-z]{2,}", r"(?<![\w.+-])[\w.+-]+\s+(?-i:AT)\s+[\w-]+\.(?:com|org|net)\b",
        r"(?<![\w+])\+\d{1,3}[ \t(]{0,2}\d[\d \t().-]{5,18}\d\b",  # a telephone number in international form, any language
        (r"\b(?:call|phone|ring|text|fax|reach(?:ed)?|contact(?:ed)?)\s+(?:(?:me|us|him|her|them)\s+)?(?:at|on)\s*:?\s*"
         r"\+?\(?\d[\d \t().-]{6,18}\d"),
        # European street addresses: "12 rue des Tanneurs", "Hauptstraße 5", "Keizersgracht 12", "ul. Długa 3"
        (r"\b\d{1,5}(?:\s*bis)?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|quai|impasse|via|viale|piazza|"
         r"corso|calle|avenida|avda\.?|rua|travessa)\s+\w"),
        (r"\b[A-ZÄÖÜ][\w-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gracht|plein|gade|vej|gatan|"
         r"vägen|veien|gata)\s+\d{1,4}\w?\b|\bul\.\s+[A-ZŁŚŻŹ]\w+\s+\d"),
        rf"\b(?:e-?mail|mail|tel|telephone|phone|cell(?:phone)?|mobile|call|fax|ph|direct|\(o\)|\(m\)|m)"
        rf"(?:\s+(?:number|address))?\s*[:：.\-]?\s*{val}",
        rf"\b(?:address|add|contact person|contact address)\s*[:：]\s*(?:{RED}|\d|\w+\s+\w+)",
        r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,4}(?:st\.?|street|ave\.?|avenue|blvd\.?|boulevard|road|rd\.?|way|lane|"
        r"parkway|pkwy|drive|str\.|place)\b", r"\bP\.?O\.?\s+Box\s+\d+",
        rf"(?:contact(?:ed)?|reach(?:ed)?|details|infomation|information)\b[^.\n]{{0,60}}?(?::|--|\bat\b|\bare\b|"
        rf"\bon\b|\bvia\b|follows)\s*(?:\n\s*)?(?:{RED}|\w+:)",
    )(clean)
    spans += form_answers(r"so that (?:we|the complaining party) can get back to you[^\n]*|provide (?:your )?contact "
                      r"information\.?|provide information (?:on|by) which [^\n]{0,40}?may contact you[^\n]*|"
                      r"^[^\w\n]*contact information[^\w\n]*$|^[^\w\n]*notifying party[^\w\n]*$|copyright owner contact information",
                      accept=rf"\A(?:[^\n]*\n){{0,3}}[^\n]*?(?:{RED}|\d{{3}}|@|\b\w+\s+(?:Inc|Ltd|LLC|GmbH)\b)")(clean)
    return sorted(set(spans + closing_block(clean)))




def _material(det: str, text: str = "", service: Service = NO_SERVICE) -> list[Span]:
    """See _located (cached: the work element asks for the located copy too, one search per letter)."""
    return list(_located(det, text, service))


@lru_cache(maxsize=32)
def _located(det: str, text: str, service: Service) -> tuple[Span, ...]:
    """512(c)(3)(A)(iii), 512(g)(3)(B): the material's location (links to the service's own sites, a form answer, a
    named repository, or any link the notice itself names as the infringing copy). Locations on the service come
    first, so the evidence quotes where the material is, not the claimant's original. The service's home page names
    the whole site and locates nothing."""
    located = [m.span() for m in _URL.finditer(det)
               if service.on_service(m.group()) and not is_root_or_profile(m.group(), service)]
    located = sorted(set(located + list(_named_copies(text, service))))
    described = form_answers(MATERIAL_Q)(det) + sentence_finder(*MATERIAL_PHRASES)(det) + _described_on(service)(det)
    return tuple(located + sorted(set(described) - set(located)))


@lru_cache(maxsize=32)
def _described_on(service: Service) -> Finder:
    """Material located by description on the operator's site: "a post by “coffee260” on News Roundup", "the article
    about X on your website", "image #2" (a numbered item of a page the letter names). "On your website" alone
    names the whole site and locates nothing."""
    where = "|".join([r"your\s+(?:web\s?)?(?:site|blog|page|forum)"] + [re.escape(n) for n in service.names if n])
    item = r"(?:post|article|story|photo\w*|image|picture|video|comment|entry|item|piece|report)"
    one_sentence = sentence_finder(
        rf"\b{item}\s+(?:by|from)\s+[“\"'‘]?[\w.@-]{{1,40}}[”\"'’]?\s+(?:on|at)\s+(?:{where})",
        rf"\b{item}\s+(?:titled|entitled|headlined|called|about|regarding|concerning)\s+[^.\n]{{3,120}}?\s+"
        rf"(?:on|at)\s+(?:{where})",
        r"\b(?:image|photo(?:graph)?|picture)\s*#\s*\d+",
        # the place written and then redacted by whoever published the letter ("continues to be displayed on X")
        r"\b(?:displayed|posted|published|shown|used|appears?)\s+on\s+(?:X+|\*{3,})[ \t]*(?=\n|$|[.,;])",
        # the item named by its author or pointed at: "take down Mr. Farrell's piece", "delete this article from
        # your website"
        rf"\b(?:take\s+down|remove|delete|unpublish)\s+(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][\w'’-]*['’]s\s+(?:\w+\s+)?{item}",
        rf"\b(?:take\s+down|remove|delete|unpublish)\s+this\s+{item}\s+(?:from|on)\s+(?:{where})")
    # "the posted article on your website" in one sentence, "this article is about the missionary shot in Brazil"
    # in another: together they single out the page
    posted = sentence_finder(rf"\b(?:posted|published|copied|reproduced)\s+{item}\b[^.\n]{{0,30}}\b(?:{where})")
    about = sentence_finder(rf"\b(?:this|that|the)\s+{item}\s+(?:is\s+)?(?:regarding|about|concerning|titled|"
                            rf"entitled|headlined)\s+\S[^.\n]{{10,}}")

    def find(det: str) -> list[Span]:
        both = about(det) + posted(det) if about(det) and posted(det) else []
        return one_sentence(det) + both
    return find


@lru_cache(maxsize=64)
def _named_copies(text: str, service: Service = NO_SERVICE, role: str = "infringing") -> tuple[Span, ...]:
    """Spans of the links intake gives `role` (its cue rules: "infringing URL:", a takedown list, "original:")."""
    spans: list[Span] = []
    for item in classify_urls(text, service=service) if text else []:
        at = text.find(item.as_written) if item.role == role and not item.redacted else -1
        if at >= 0:
            spans.append((at, at + len(item.as_written)))
    return tuple(spans)


def _work(det: str) -> list[Span]:
    """512(c)(3)(A)(ii): the work claimed, by form answer, description or a link to the original."""
    described = [span for span in sentence_finder(*WORK)(det) if not _LAW_STATEMENT.search(det[span[0]:span[1]])]
    return sorted(set(form_answers(WORK_Q)(det) + described))


# A sentence about what the law says ("US Copyright Law provides strong protection for owners of copyrighted
# material", "the Copyright Act is a strict liability statute") names no work, unless it also speaks of someone's
# own ("our", "my", "your").
_LAW_STATEMENT = re.compile(
    r"\A(?=[^\n]*?(?:\bcopyright\s+(?:law|act)\b|\bstatute\b|\blaw\s+(?:provides|protects|says|states)))"
    r"(?![^\n]*?\b(?:my|our|your|his|her|their)\b)", _I)


# The sender's own pictures or articles, said of what the located copy shows ("photographs belonging to me", "my
# photo", "these copyrighted images"); "our content" or "stories" on a feed page name no one work.
_OWN_ITEM = re.compile(
    r"\b(?:my|our|these|this|those)\s+(?:copyrighted\s+|original\s+|own\s+)?(?:photo\w*|images?|pictures?|"
    r"illustrations?|videos?|footage|articles?)\b|\b(?:photo\w*|images?|pictures?|illustrations?|videos?|articles?)\s+"
    r"(?:belonging\s+to|owned\s+by|taken\s+by|created\s+by)\s+(?:me|us)\b", _I)


def _work_or_copy(det: str, text: str, service: Service) -> list[Span]:
    """The work named, or, where none is, a copy of it located on the operator's site that the letter says is the
    sender's own picture or article: the copy shows the work (a photographer's notice names the photo by its page)."""
    named = _work(det)
    if named or not service.hosts or not _OWN_ITEM.search(det):
        return named
    return [span for span in _material(det, text, service)
            if _URL.fullmatch(det[span[0]:span[1]]) and service.on_service(det[span[0]:span[1]])][:1]


_NOT_AUTH = (r"(?:not\s+(?:been\s+)?authori[sz]ed|unauthori[sz]ed|unlawful|illegal|infring\w*|without\s+(?:the\s+|"
             r"our\s+|my\s+)?(?:authori[sz]ation|permission|consent)|not\s+used\s+with\s+the\s+permission|"
             r"no\s+(?:legal\s+basis|right|licen[cs]e|permission|authori[sz]ation)\s+(?:for|to)\b)")
_good_faith = sentence_finder(rf"good[\s-]*faith\b[^.]{{0,300}}?{_NOT_AUTH}",
                     r"(?:believe|belief|convinced)\b[^.]{0,250}?not\s+(?:authori[sz]ed|used\s+with\s+the\s+"
                     r"permission)[^.]{0,120}?(?:agents?|law)\b",
                     r"not\s+authori[sz]ed\s+by\s+[^.]{0,80}?agents?,?\s+or\s+(?:by\s+|under\s+)?(?:the\s+)?law")
_accuracy = sentence_finder(r"perjury", r"(?:swear|certify|declare|state)\w*[^.]{0,60}?under\s+oath",
                   r"\baccurate\b[^.]{0,200}?authori[sz]ed\s+to\s+act", r"authori[sz]ed\s+to\s+act[^.]{0,200}?accurate")


def _dmca_finders(service: Service = NO_SERVICE) -> dict[str, Finder]:
    """Finders for the six 512(c)(3)(A) elements, in statute order."""
    return {"signature": lambda t: signature(detection_text(t)),
            "copyrighted_work": lambda t: _work_or_copy(detection_text(t), t, service),
            "infringing_material": lambda t: _material(detection_text(t), t, service),
            "contact_info": lambda t: _contact(detection_text(t), service),
            "good_faith": lambda t: _good_faith(detection_text(t, True)),
            "accuracy_under_perjury": lambda t: _accuracy(detection_text(t, True))}


def _mistake(det: str) -> list[Span]:
    """512(g)(3)(C): a mistake/misidentification statement made under penalty of perjury (same or next sentence)."""
    mistake = sentence_finder(r"mistake|misidentif|removed\s+in\s+error|wrongly\s+removed")(det)
    perjury = sentence_finder(r"perjury")(det)
    out = [s for s in mistake if any(p[0] < s[1] + 300 and s[0] < p[1] + 300 for p in perjury)]
    return sorted(set(out + [p for p in perjury if any(p[0] < s[1] + 300 and s[0] < p[1] + 300 for s in out)]))


def _counter_finders(service: Service = NO_SERVICE) -> dict[str, Finder]:
    """Finders for the 512(g)(3)(A)-(D) elements."""
    juris = r"consent\w*\s+to\s+(?:the\s+)?jurisdiction|submit\w*\s+to\s+the\s+jurisdiction"
    serve = r"accept\w*\s+(?:the\s+)?service\s+of\s+process|consent\w*\s+to\s+service|accept\w*\s+service\b"
    return {"signature": lambda t: signature(detection_text(t)), "material_identified": lambda t: _material(detection_text(t), t, service),
            "mistake_statement_under_perjury": lambda t: _mistake(detection_text(t, True)),
            "subscriber_contact": lambda t: _contact(detection_text(t), service),
            "consent_to_jurisdiction": lambda t: _clauses(detection_text(t, True), juris, serve),
            "accept_service_of_process": lambda t: _clauses(detection_text(t, True), serve, juris)}


def _clauses(det: str, pattern: str, other: str) -> list[Span]:
    """Clause spans for `pattern`, cut where the sentence turns to `other` (jurisdiction and service share one)."""
    spans: list[Span] = []
    for s, e in sentence_finder(pattern)(det):
        m, o = re.search(pattern, det[s:e], _I), re.search(other, det[s:e], _I)
        start = s + m.start() if m and o and o.start() < m.start() else s
        spans.append((start, s + o.start() if m and o and o.start() > m.start() else e))
    return spans


_CSAM = re.compile(r"child sexual abuse|\bcsam\b|child pornography|2011/93/EU|sexual exploitation of children", _I)


def _dsa_identity(det: str, service: Service = NO_SERVICE) -> list[Span]:
    """Art. 16(2)(c): the notifier's name and e-mail address (both), redacted or not."""
    email = sentence_finder(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[a-z]{2,}", rf"\be-?mail(?:\s+address)?\s*[:：]\s*{RED}")(det)
    name = sentence_finder(rf"\b(?:name|notifier|submitted by|from|sender)\s*[:：]\s*(?:{RED}|[A-Z]\w+)",
                           # a form's name field in a member state's language ("Uw naam en emailadres:", "Ihr Name")
                           rf"\b(?:name|naam|nom|nome|nombre|navn|namn|nimi|imię|jméno)\b[^:\n]{{0,40}}[:：]?[ \t]*\n?[ \t]*"
                           rf"(?:{RED}|[A-Z][\w'’-]+[ \t]+[A-Z]?[\w'’-]+)", rf"\bmy name is\s+(?:{RED}|\w+)", rf"^\s*I,\s+(?:{RED}|\w+)",
                  rf"\b(?:I am|on behalf of)\s+(?:{RED}|[A-Z]\w+\s+[A-Z]\w+)",
                  # a line that is a name and an address ("Lena Vogt, mail@vogt.example"), answering the form
                  r"(?:^|\n)[ \t]*[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,3}[ \t]*(?:[,;(<][ \t]*|\n[ \t]*)<?"
                  r"[\w.+-]+@[\w-]+\.[a-z]{2,}")(det)
    name += signature(det)
    return sorted(set(email + name)) if email and name else []


def _dsa_finders(service: Service = NO_SERVICE) -> dict[str, Finder]:
    """Finders for Art. 16(2)(a)-(d)."""
    why = sentence_finder(r"(?:illegal|unlawful|infring\w*|violat\w*|defamat\w*|counterfeit\w*|hate speech|incit\w*)[^.]{0,200}?"
                 r"(?:because|since|as it|under|contrary to|article|section|§|act\b|law\b|code\b)",
                 r"(?:because|since|as it)\b[^.]{0,200}?(?:illegal|unlawful|infring\w*|violat\w*|defamat\w*)",
                 r"^\W*(?:explanation|reasons?|why (?:this|it) is illegal)\W*[:：]\s*\S", *DSA_REASONS)
    why_form = form_answers(DSA_REASONS_Q)
    urls: Finder = lambda t: [m.span() for m in _URL.finditer(detection_text(t))]
    bona = sentence_finder(r"(?:bona\s+fide|good\s+faith|genuine(?:ly)?|honest(?:ly)?)\s+[^.]{0,250}?(?:accurate|complete|true)",
                           *DSA_BONA_FIDE)
    return {"dsa_explanation": lambda t: sorted(set(why(detection_text(t, True)) + why_form(detection_text(t, True)))),
            "dsa_exact_location": urls,
            "dsa_notifier_identity": lambda t: _dsa_identity(strip_own_emails(detection_text(t), service), service),
            "dsa_bona_fide_statement": lambda t: bona(detection_text(t, True))}


def element_spans(text: str, kind: str, regime: str, element: str, service: Service = NO_SERVICE) -> list[Span]:
    """Every span of `text` that the checker takes as evidence of `element` (used by ablation tests)."""
    counter = kind.replace("-", "_") == "counter_notice"
    found = (_counter_finders(service) if counter else _dsa_finders(service) if regime == "dsa"
             else _dmca_finders(service))
    return found[element](text)


def _evidence(text: str, span: Span) -> str:
    """The verbatim span, cut to EVIDENCE_MAX characters."""
    return text[span[0]:span[1]].strip()[:EVIDENCE_MAX].rstrip()


def _check(text: str, names: Iterable[str], found: dict[str, Finder]) -> dict[str, ElementCheck]:
    """Run each finder; the first span found is the evidence."""
    spans = {name: found[name](text) for name in names}
    return {k: ElementCheck(True, _evidence(text, v[0])) if v else ElementCheck(False, None) for k, v in spans.items()}


def dmca_status(elements: dict[str, ElementCheck]) -> str:
    """All six: complete; (ii), (iii), (iv) present: cure_needed (512(c)(3)(B)(ii)); otherwise deficient."""
    if all(e.present for e in elements.values()):
        return "complete"
    cure = all(elements[k].present for k in ("copyrighted_work", "infringing_material", "contact_info"))
    return "cure_needed" if cure else "deficient"


def _result(status: str | None, elements: dict[str, ElementCheck], order: Iterable[str]) -> Completeness:
    """Completeness with `missing` in statute order; no status given means all-or-deficient (no cure step)."""
    missing = [k for k in order if not elements[k].present]
    return Completeness(status or ("deficient" if missing else "complete"), elements, missing)


def check_dmca(text: str, service: Service = NO_SERVICE) -> Completeness:
    """17 U.S.C. 512(c)(3)(A)(i)-(vi), with the (B)(ii) cure path."""
    elements = _check(text, DMCA_ELEMENTS, _dmca_finders(service))
    return _result(dmca_status(elements), elements, DMCA_ELEMENTS)


def check_counter_notice(text: str, service: Service = NO_SERVICE) -> Completeness:
    """17 U.S.C. 512(g)(3)(A)-(D); no cure provision, so anything missing is deficient."""
    return _result(None, _check(text, COUNTER_ELEMENTS, _counter_finders(service)), COUNTER_ELEMENTS)


def check_dsa(text: str, service: Service = NO_SERVICE) -> Completeness:
    """DSA Art. 16(2)(a)-(d); the (c) identity is not required for child sexual abuse offences."""
    elements = _check(text, DSA_ELEMENTS, _dsa_finders(service))
    csam = _CSAM.search(text)
    if not elements["dsa_notifier_identity"].present and csam:
        # DSA Art. 16(2)(c): "except in the case of information considered to involve one of the offences referred to
        # in Articles 3 to 7 of Directive 2011/93/EU"
        elements["dsa_notifier_identity"] = ElementCheck(True, _evidence(text, csam.span()))
    return _result(None, elements, DSA_ELEMENTS)


def check_notice(text: str, kind: str, regime: str, service: Service = NO_SERVICE) -> Completeness:
    """Dispatch on kind and regime, read relative to the `service` addressed; retractions, reversals and other
    messages carry no statutory elements."""
    kind = kind.replace("-", "_")
    if kind == "counter_notice":
        return check_counter_notice(text, service)
    if regime == "dsa":
        return check_dsa(text, service)
    return check_dmca(text, service) if kind == "notice" else Completeness("complete")
