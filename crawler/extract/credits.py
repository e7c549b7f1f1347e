"""What a page says about where its content came from: credit lines, source links, disclaimers, translations."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from compliance.records import AlternateLink, Credit
from crawler.extract.disclaimers import find_disclaimers, is_disclaimer  # noqa: F401 (read with the credits)
from crawler.extract.markup import (
    absolute_url,
    anchors,
    element_text,
    fold_space,
    jsonld_nodes,
    jsonld_str,
    jsonld_types,
    norm_space,
    screen_key,
    screen_keys,
    text_blocks_with_elements,
)

_SEP = r"\s*(?:[:：|/\-–—]\s*|\s)"
_IMAGE_WORDS = (
    r"(?:images?|photos?|photographs?|photography|pictures?|pics?|illustrations?|graphics?|videos?|footage|"
    r"top image|main image|header image|featured image|cover image|lead image|file photo)"
)
# Image credits ("Image from BBC", "Photo: Reuters/John Smith", "Photo by X on Unsplash", "图片来自BBC").
_IMAGE_RE = re.compile(
    rf"^{_IMAGE_WORDS}\s*(?:credits?|courtesy|source)?\s*"
    r"(?:(?:from|by|via|courtesy of|credit|source)\s*[:：]?|[:：|/\-–—])\s*(?P<name>.+)$",
    re.I,
)
_IMAGE_ZH = re.compile(r"^(?:图片来自|图片来源|图片提供|圖片來自|圖片來源|图片|圖片|图|圖|摄影|攝影)\s*[:：]?\s*(?P<name>.+)$")
# Text sources ("Source: Northgate Herald", "Originally published by ...", "via Reuters", "来源：新华社").
_SOURCE_RE = re.compile(
    r"^(?:(?:sources?|credits?|reporting|additional reporting)\s*(?:[:：|\-–—]|\.{2,}|…)|"
    r"(?:(?:this|the) (?:article|story|post|piece|report) (?:was |is )?)?"
    r"(?:originally|first)\s+(?:published|appeared|posted|ran)\s+(?:by|in|on|at)\b|"
    r"(?:republished|reprinted|reposted|syndicated|adapted|translated)\s+(?:with permission\s+)?(?:from|by|of)\b|"
    r"published (?:by|in)\b|via\b|courtesy(?:\s+of)?\b|h/t\b|hat tip(?: to)?\b)\s*[:：]?\s*(?P<name>.+)$",
    re.I,
)
_SOURCE_ZH = re.compile(
    r"^(?:来源|來源|稿源|消息来源|消息來源|文章来源|文章來源|原文来自|原文來自|转载自|轉載自|出处|出處|本文来自|本文來自|来自|來自)"
    r"\s*[:：]?\s*(?P<name>.+)$"
)
_COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\)|copyright|℗)\s*(?:©|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?)?\s*(?P<name>.+)$", re.I
)
# A credit at the end of a caption: "Protesters march. Photograph: Jane Doe/AP".
_TRAILING_MARKER = re.compile(
    r"(?<=[\s.;,(])(?:(?:photo(?:graph)?|image|picture|illustration|credit|source|photo credit)\s*[:：]|©|\(c\)|copyright\b)",
    re.I,
)

KNOWN_AGENCIES = frozenset(
    s.casefold()
    for s in (
        "Reuters", "AP", "Associated Press", "AFP", "Getty Images", "Getty", "EPA", "EPA-EFE", "EFE", "Xinhua",
        "新华社", "Bloomberg", "Shutterstock", "Alamy", "PA", "PA Images", "PA Wire", "PA Media", "ANSA", "dpa",
        "Kyodo", "Yonhap", "TASS", "Unsplash", "Pexels", "Pixabay", "iStock", "AAP", "NurPhoto", "SOPA Images",
        "Anadolu", "Anadolu Agency", "BBC", "CNN", "ZUMA", "Sipa", "Corbis", "Wikimedia Commons", "Flickr",
    )
)
_LOWER_OK = frozenset({"dpa", "istock", "flickr"})
_ORG_WORD = re.compile(
    r"\b(?:news|times|herald|post|press|agency|images|photos|media|journal|tribune|gazette|daily|weekly|"
    r"chronicle|telegraph|guardian|observer|wire|review|magazine|radio|tv|television|broadcasting|network|"
    r"group|inc|ltd|llc|plc|corporation|ministry|office|department|university|institute|foundation|"
    r"council|service|courier|standard|independent|express|mirror|mail|sun|star|globe|economist|bulletin)\b"
    r"|\.(?:com|org|net|co\.uk|gov|edu)\b|[社报報台网網]$",
    re.I,
)
# A date or time, also with a clock suffix or time zone ("November 19, 2019 / 8:16 AM", "2019 01:38 pm IST").
_DATEISH = re.compile(
    r"^\W*(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[\w ,.:/-]*\d"
    r"(?:\s*(?:[ap]\.?m\.?|h|hrs?))?(?:\s*\(?(?:gmt|utc|bst|cet|cest|eet|est|edt|cst|cdt|mst|mdt|pst|pdt|et|pt|"
    r"ist|jst|kst|hkt|sgt|aest|aedt|msk)(?:[+-]\d{1,2}(?::?\d\d)?)?\)?)?\W*$",
    re.I,
)
# Post-nominal letters after a person's name ("Jane Doe, MS, RDN"): qualifications, not organisations.
_POSTNOMINAL = frozenset(
    "md phd ms msc ma mba mph rn rd rdn cpa cfa jd esq dds dvm do bsc ba bs frcp mrcp obe mbe cbe qc kc".split()
)
# Embedded social posts (tweets, Instagram, ...): their links point at the quoted post, not at the text's source.
_EMBED_CLASS = re.compile(
    r"(?:^|[\s_-])(?:embed|embedded|twitter-tweet|instagram-media|tiktok-embed|fb-post)(?:$|[\s_-])", re.I
)
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|author|photographer|journalist|"
    r"updated|published)\b",
    re.I,
)
_RESERVED = re.compile(r"[.,;|\s]*(?:all rights reserved|alle rechte vorbehalten|版权所有|版權所有)\.?\s*$", re.I)


def _score(part: str) -> int:
    """How much a fragment of a credit looks like an organisation rather than a person or a date."""
    key = part.casefold().removeprefix("the ").strip()
    if not key or _DATEISH.match(part):
        return -5
    if key in KNOWN_AGENCIES:
        return 4
    if key.replace(".", "") in _POSTNOMINAL:
        return -5
    if re.fullmatch(r"[A-Z][A-Z&.\-]{1,7}", part.strip()):
        return 3
    if _ORG_WORD.search(part):
        return 2
    return 0


def clean_source_name(raw: str) -> str | None:
    """The source named in a credit's tail ("Jane Doe/AP" -> "AP", "X via Getty Images" -> "Getty Images")."""
    text = _RESERVED.sub("", norm_space(raw))
    text = re.sub(r"\s*\((?:file|archive|handout|illustrative|pictured)[^)]*\)\s*", " ", text, flags=re.I).strip()
    for marker in (r"\s+via\s+", r"\s+on\s+", r"\s+for\s+", r"\s+courtesy of\s+"):
        pieces = re.split(marker, text, maxsplit=1, flags=re.I)
        if len(pieces) == 2 and pieces[1].strip():
            text = pieces[1]
    text = text.strip(" \t.,;:|-–—\"'“”‘’[]()")
    text = re.sub(r"^(?:the\s+)?(?:website|site|outlet|newspaper|paper)\s+", "", text, flags=re.I)
    if not text:
        return None
    for sep, prefer_last in (("/", True), (",", False), (" | ", False), (";", False), (" - ", False)):
        if sep in text:
            parts = [p.strip(" .") for p in text.split(sep) if p.strip(" .")]
            if len(parts) > 1:
                scores = [_score(p) for p in parts]
                best = max(scores)
                ranked = [p for p, s in zip(parts, scores) if s == best]
                text = ranked[-1] if prefer_last else ranked[0]
    text = text.strip(" \t.,;:|-–—\"'“”‘’")
    if not text or len(text) > 80 or len(text.split()) > 8 or _DATEISH.match(text):
        return None
    bare = re.sub(r"^the\s+", "", text, flags=re.I)
    if bare[:1].islower() and bare.split()[0].casefold() not in _LOWER_OK:
        return None
    return text


# Screens (case-folded) that every match of the patterns above passes: most lines of a page fail them at once.
_CREDIT_STARTS = (
    "image", "photo", "picture", "pic", "illustration", "graphic", "video", "footage", "top", "main", "header",
    "featured", "cover", "lead", "file", "图", "圖", "摄", "攝", "source", "credit", "reporting", "additional",
    "originally", "first", "republished", "reprinted", "reposted", "syndicated", "adapted", "translated",
    "published", "via", "courtesy", "h/t", "hat", "来", "來", "稿", "消", "文", "原", "转", "轉", "出", "本", "©",
    "(c)", "copyright", "℗",
)
_ARTICLE_STARTS = ("this", "the")  # "The story first appeared in ...": only with "originally"/"first" after
_MARKER_WORDS = ("photo", "image", "picture", "illustration", "credit", "source")


def _might_be_credit(key: str) -> bool:
    """False when no credit pattern can match the case-folded line (a cheap test before the regexes)."""
    if key.startswith(_CREDIT_STARTS) or "©" in key or "(c)" in key or "copyright" in key:
        return True
    if key.startswith(_ARTICLE_STARTS) and ("originally" in key or "first" in key):
        return True
    return (":" in key or "：" in key) and any(w in key for w in _MARKER_WORDS)


def classify_credit_line(text: str) -> tuple[str, str, str] | None:
    """(kind, name, credit as written) for a credit line; kind is "image", "source" or "copyright"."""
    if not _might_be_credit(screen_key(text).lstrip()):
        return None
    line = norm_space(text)
    if not line or len(line) > 300:
        return None
    written = fold_space(text)
    for kind, pattern in (
        ("image", _IMAGE_RE), ("image", _IMAGE_ZH), ("source", _SOURCE_RE), ("source", _SOURCE_ZH),
        ("copyright", _COPYRIGHT_RE),
    ):
        match = pattern.match(line)
        if match:
            name = clean_source_name(match.group("name"))
            if name:
                return kind, name, written
            break  # "File photo: a man at work. Photo: X" still has a credit at its end
    for marker in reversed(list(_TRAILING_MARKER.finditer(line))):
        found = classify_credit_line(line[marker.start() :])
        if found:
            return found
    return None


def parse_credit_line(text: str) -> str | None:
    """The source a credit or source line names ("Image from BBC" -> "BBC"), or None if it is not one."""
    found = classify_credit_line(text)
    return found[1] if found else None


# --- document credits --------------------------------------------------------------------------------------

_LINK_TEXT = re.compile(
    r"^(?:read\s+(?:the\s+)?(?:original|full)\s+(?:article|story|report|post)|original\s+(?:article|story|"
    r"source|report|post)|view\s+(?:the\s+)?original|source\s+(?:article|link)|read\s+more\s+(?:at|on)|"
    r"originally\s+(?:published|appeared)\s+(?:at|on|in|by)|阅读原文|閱讀原文|原文链接|原文鏈接)\b",
    re.I,
)
_LINK_SCREEN = re.compile(r"read|original|view|source|原文")  # every _LINK_TEXT label holds one of these
_SOURCE_ATTR = re.compile(r"(?:^|[\s_-])(?:source|original|origin|syndication|via)(?:$|[\s_-])", re.I)
_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "blogposting", "webpage", "analysisnewsarticle",
     "opinionnewsarticle", "report", "creativework", "socialmediaposting", "techarticle", "scholarlyarticle"}
)


def _in_figure(el: etree._Element) -> bool:
    """Inside a <figure>/<figcaption>: a credit there is about the image, not the text."""
    return any(a.tag in ("figure", "figcaption") for a in el.iterancestors())


def _in_embed(el: etree._Element) -> bool:
    """Inside (or itself) an embedded social post: its links quote that post, they do not credit the text."""
    for node in (el, *el.iterancestors()):
        if _EMBED_CLASS.search(node.get("class") or ""):
            return True
    return False


def _follows_image(el: etree._Element) -> bool:
    """The block's previous element is (or wraps) an image: the line under it credits that image."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return False
    return prev.tag in ("img", "picture", "figure") or any(True for _ in prev.iter("img"))


def _byline_org(byline: str) -> str | None:
    """The organisation in a byline such as "By Jane Doe, Reuters" or "Jane Doe | AP"."""
    if re.match(r"^\s*(?:https?:)?//|^\s*www\.", byline, re.I):
        return None  # an author profile URL (og article:author, JSON-LD @id) names a person's page, not an org
    text = re.sub(r"^\s*by\s+", "", norm_space(byline), flags=re.I)
    parts = [p.strip() for p in re.split(r"\s*(?:,|\||/|\s-\s|\bfor\b|\band\b)\s*", text) if p.strip()]
    best = [(p, _score(p)) for p in parts if not _ROLE_WORDS.search(p)]
    best = [(p, s) for p, s in best if s >= 2]
    return best[-1][0] if best else None


def find_document_credits(
    tree: etree._Element,
    url: str,
    jsonld: list[dict[str, Any]] | None = None,
    byline: str | None = None,
    *,
    blocks: list[tuple[str, etree._Element]] | None = None,
    links: list[tuple[etree._Element, str]] | None = None,
    keys: list[str] | None = None,
) -> list[Credit]:
    """Statements about the text's source: source lines, original links, JSON-LD isBasedOn, byline organisations.

    blocks and links are the page's text blocks and anchors when the caller already has them (one walk a page),
    keys the blocks' screen_keys.
    """
    credits: list[Credit] = []
    seen: set[tuple[str, str | None, str | None]] = set()

    def add(credit: Credit) -> None:
        key = (credit.kind, credit.name, credit.url)
        if key not in seen and (credit.name or credit.url):
            seen.add(key)
            credits.append(credit)

    if blocks is None:
        blocks = text_blocks_with_elements(tree)
    if keys is None or len(keys) != len(blocks):
        keys = screen_keys([line for line, _ in blocks])
    for (line, block), key in zip(blocks, keys):
        if len(line) > 300 or not _might_be_credit(key.lstrip()):  # the screen classify_credit_line starts with
            continue
        found = classify_credit_line(line)
        if not found or found[0] != "source" or _in_figure(block) or _follows_image(block):
            continue
        link = None
        for anchor in block.iter("a"):
            link = absolute_url(anchor.get("href"), url)
            if link:
                break
        add(Credit(text=line, kind="source_line", name=found[1], url=link))

    for anchor, key in anchors(tree) if links is None else links:
        get = anchor.get
        attrs = f"{get('rel', '')} {get('class', '')} {get('id', '')} {get('data-role', '')}"
        by_attr = _SOURCE_ATTR.search(attrs)
        if not by_attr and not _LINK_SCREEN.search(key):
            continue
        label = element_text(anchor)
        if not (by_attr or _LINK_TEXT.match(label)) or _in_embed(anchor):
            continue
        link = absolute_url(anchor.get("href"), url)
        if link and link not in {c.url for c in credits}:
            name = parse_credit_line(label) if label else None
            add(Credit(text=label or attrs.strip(), kind="link", name=name, url=link))

    for meta_name in ("original-source", "syndication-source"):
        for content in tree.xpath(f'//meta[@name="{meta_name}"]/@content'):
            link = absolute_url(str(content), url)
            if link:
                add(Credit(text=f'<meta name="{meta_name}">', kind="link", url=link))

    for node in jsonld_nodes(jsonld or []):
        for key in ("isBasedOn", "isBasedOnUrl"):
            value = node.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    add(Credit(text=f"{key}: {item}", kind="is_based_on", url=absolute_url(item, url)))
                elif isinstance(item, dict):
                    name = jsonld_str(item.get("name")) or jsonld_str(item.get("publisher"))
                    link = absolute_url(jsonld_str(item.get("url")) or jsonld_str(item.get("@id")), url)
                    add(Credit(text=f"{key}: {name or link}", kind="is_based_on", name=name, url=link))
        if jsonld_types(node) & _ARTICLE_TYPES:
            authors = node.get("author")
            for author in authors if isinstance(authors, list) else [authors]:
                if isinstance(author, dict) and any(
                    t.endswith("organization") or t == "corporation" for t in jsonld_types(author)
                ):
                    name = jsonld_str(author.get("name"))
                    if name:
                        add(Credit(text=name, kind="byline_org", name=name))
    if byline:
        org = _byline_org(byline)
        if org:
            add(Credit(text=byline, kind="byline_org", name=org))
    return credits


# --- alternate-language versions ---------------------------------------------------------------------------

_LANGS: dict[str, tuple[str, ...]] = {
    "zh": ("chinese", "中文", "简体", "繁體", "繁体", "華語", "汉语", "漢語", "mandarin"),
    "en": ("english", "英文", "英语", "英語"),
    "fr": ("french", "français", "francais", "法文", "法语"),
    "es": ("spanish", "español", "espanol", "castellano", "西班牙"),
    "de": ("german", "deutsch", "德文", "德语"),
    "it": ("italian", "italiano"),
    "pt": ("portuguese", "português", "portugues"),
    "ru": ("russian", "русский", "русском", "俄文"),
    "ja": ("japanese", "日本語", "日文"),
    "ko": ("korean", "한국어", "韩文"),
    "ar": ("arabic", "العربية"),
    "uk": ("ukrainian", "українська", "українською"),
    "vi": ("vietnamese", "tiếng việt"),
}
# Every language word's first token: an anchor whose raw text holds none of them names no language.
_LANG_SCREEN = re.compile("|".join(sorted({re.escape(w.split()[0]) for ws in _LANGS.values() for w in ws})))
_ALT_CUE = re.compile(
    r"\b(?:read|view|see|version|edition|translation|translated|in|lire|leer|ver|versión|auf|lesen|"
    r"leggi|ler|читать)\b|版|阅读|閱讀|查看|で読む",
    re.I,
)


def guess_alternate_lang(text: str) -> str | None:
    """The language a "Read Chinese Version"-style link text points to, or None if it is not one."""
    line = norm_space(text).casefold()
    if not line or len(line) > 60 or not _LANG_SCREEN.search(line):  # no language word's first token: none
        return None
    hits = [lang for lang, words in _LANGS.items() if any(w in line for w in words)]
    if len(hits) != 1:
        return None
    bare = re.sub(r"[\W_]+", " ", line).strip()
    if bare in _LANGS[hits[0]] or _ALT_CUE.search(line):
        return hits[0]
    return None


def find_alternates(
    tree: etree._Element, url: str, links: list[tuple[etree._Element, str]] | None = None
) -> list[AlternateLink]:
    """Other-language versions: hreflang <link rel=alternate> and "Read Chinese Version" anchors."""
    out: dict[str, AlternateLink] = {}
    own = absolute_url(url, url)
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").casefold().split()
        lang = link.get("hreflang")
        if "alternate" not in rel or not lang or lang.casefold() == "x-default":
            continue
        href = absolute_url(link.get("href"), url)
        if href and href != own:
            out.setdefault(href, AlternateLink(url=href, lang=lang, text=None))
    for anchor, key in anchors(tree) if links is None else links:
        if not anchor.get("hreflang") and not _LANG_SCREEN.search(key):
            continue
        label = element_text(anchor)
        lang = anchor.get("hreflang") or guess_alternate_lang(label)
        href = absolute_url(anchor.get("href"), url) if lang else None
        if lang and href and href != own:
            out.setdefault(href, AlternateLink(url=href, lang=lang, text=label or None))
    return list(out.values())
