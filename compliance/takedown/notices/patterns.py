"""Wording patterns the completeness checks read: redaction tokens, form questions and element phrasings."""

from __future__ import annotations

# A redacted value stands for one that was there: notice archives publish `[private]` (and its typos) or `[REDACTED]`.
RED = r"(?:\[\s*(?:private|redacted|privaet)\b[^\]\n]{0,40}\]?|\b(?:private|redacted)\])"
# Archives replace URLs the service did not act on with a token such as `[invalid]`: a location that was
# given, so it counts for the elements whose value is a location, never for contact details or a signature.
RED_URL = rf"(?:{RED}|\[\s*invalid\s*\])"
# A redaction that says it stood for a place ("[WEBSITE REDACTED]", "[REDACTED LINK]"): never a contact detail.
RED_PLACE = r"\[[^\]\n]{0,40}?\b(?:links?|urls?|web\s?sites?|sites?|domains?|pages?|images?|photos?)\b[^\]\n]{0,40}\]"

MATERIAL_Q = (r"what files (?:should be|were) taken down\?[^\n]*|location of infringing material:|infringing "
              r"(?:url|page/material)[^\n:]*:|url\(s\) where illegal content is hosted:|identification of "
              r"infring\w+ material|offending urls:|url in question:")
# Sentences that locate the material: a named repository, "the infringing copies are at URL", "was located at URL";
# the URL may be one the platform replaced with a redaction token.
MATERIAL_PHRASES = (
    r"\brepo(?:sitor(?:y|ies))?\s+(?:called\s+|at\s+)?\"?[\w.-]+/[\w.-]+\"?",
    (r"infring\w*\s+(?:material|content|copies|cop(?:y|ies)|files?)\s+(?:is|are|can be found|located)\s+(?:at|on|"
     rf"here)\s*:?\s*(?:https?://|www\.|{RED_URL})"),
    # any service: "the material was located at URL" (512(g)(3)(B) wording, a notice's "is located at URL")
    (r"(?:material|content|article|page|image|photo\w*|cop(?:y|ies))\s+(?:was|is|were|are|appeared)\s+"
     rf"(?:located|found|available|posted|published|hosted)\s+(?:at|on)\s*:?\s*(?:https?://|www\.|{RED_URL})"),
)

WORK_Q = (r"what work was allegedly infringed\?[^\n]*|detailed description of the original copyrighted work[^\n]*|"
          r"identify (?:and describe )?the copyrighted work[^\n]*|original material url:|copyright(?:ed)? work"
          r"(?:\(s\)|s)?(?: information)?:|original works?\s*(?:&[^\n:]*)?:|representative list of titles:")
WORK = (
    (r"(?:the|our|my)\s+(?:copyrighted|original|infringed)\s+(?:work|product|software|files|code|game|material|"
    r"project|repository|data|source)\b(?!\s+described)"),
    r"\b[A-Z]\w+'s\s+(?:\w+\s+){0,2}(?:repositor(?:y|ies)|source\s+code|code|software|app|project)\b",
    r"identification of (?:the )?copyrighted work", r"following (?:copyrighted )?works? (?:are|is) (?:the )?copyright",
    (r"(?:our|my|company's|companys|firm's)\s+(?:own\s+)?(?:\w+\s+){0,3}(?:software|source\s+codes?|code(?:base)?|"
    r"product|app|application|theme|plugin|book|project|work|game|fonts?|repository|(?<!intellectual\s)property|system|"
    r"mobile application|script)\b"),
    (r"(?:owner|author|holder|developer)\w*\s+(?:of|for)\s+(?:the\s+)?(?:(?:copyrights?|intellectual\s+property\s+rights?)\s+(?:in|to)\s+|all the rights"
    r"\s+of\s+)?(?:the\s+)?(?:[\"'“‘]?[\w.-]+[\"'”’]?\s+){0,5}(?:software|packages?|code|product|book|works?|game|"
    r"application|document)"),
    r"original\s+[\"“]?[\w.-]+[\"”]?\s+(?:software|code|product|app)", r"(?:private|research)\s+(?:research\s+)?code",
    r"\b(?:this|the)\s+work\s+is\b", r"\bof\s+the\s+work\s+\w", r"\bI\s+created\s+(?:a\s+)?repositor",
    r"\ban?\s+original\s+\w+\s+(?:written|created|developed|made)",
    # ("his copyrighted work" in a statement of the law names no work)
    (r"(?<!\bhis\s)(?<!\bher\s)(?:copyright(?:ed)?|proprietary|confidential)\s+(?:\w+\s+){0,3}(?:software|source\s+code|code|documents|works?"
    r"(?!\s+described)|forms|material(?!s\s+described)|property)\b(?!\s+described)"),
    r"(?:titles|works)\s+(?:listed|described|identified)\s+(?:below|above)", r"\bwork(?:s)? that is owned by",
    # what news copyright is in: "The Daily Example owns the article ...", "our photograph of the harbour fire",
    # "as the copyright owner of that video", "content reproduced from The Example Courier"
    (r"\bcopyright\s+(?:owner|holder)\s+of\s+(?:that|the|this|these|our|my)\s+(?:\w+\s+){0,2}(?:video|photo\w*|"
     r"image|article|story|text|footage|illustration)s?\b"),
    r"\b(?:reproduced|copied|taken)\s+from\s+(?:the\s+)?[A-Z][\w&.'’-]+",
    # a title given as an example of the works ("several of my articles such as Not Your Childhood Cheddar")
    (r"\b(?:articles?|stories|photo(?:graph)?s?|images?|pictures?|videos?|posts?|columns?|reviews?)\s+(?:such\s+as|"
     r"including|like|titled|entitled|called|named)\s+[\"“‘']?[A-Z0-9]"),
    # an agency's identifier of the picture ("Image ID: 490055-001", "Catalog Image No. 490055", "image #2")
    (r"\b(?:image|photo(?:graph)?|picture|asset|catalog(?:ue)?|stock|media)\s+(?:id|no\.?|number|#)\s*[:#.]?\s*"
     rf"(?:\w|{RED})"),
    # a link given as the place the work was taken from ("Link to where the image was stolen from: URL")
    r"\b(?:stolen|copied|taken|lifted|reproduced)\s+from\s*:?\s*(?:https?://|www\.)",
    # where the original first appeared ("originally published March 18, 2013 at http://...")
    r"\boriginally\s+(?:published|posted|appeared|ran)\b[^.\n]{0,80}?(?:https?://|www\.)",
    # the sender's own work with its title in quotes, as European letters name it ("meiner Aufnahmen „Herkules im
    # Bergpark“", "ma photo « Les quais »", "mijn foto 'De haven'", "mojej fotografii „Port“")
    (r"\b(?:meine?[rsn]?|unsere?[rsn]?|mon|ma|mes|notre|nos|mijn|onze|mi[oae]|miei|nostr[oaie]|mis?|nuestr[oa]s?|"
     r"min|mitt|mina|vår|vårt|våre|moj\w*|nasz\w*|m[éý]\w*)\s+(?:\w+\s+)?(?:Aufnahme\w*|Foto\w*|Bild\w*|Artikel|"
     r"Beitr\w*|photo\w*|article|image|afbeelding|articolo|immagin\w*|fotograf\w*|artículo|imagen|zdjęci\w*|"
     r"artyku\w*|snímk\w*|článk\w*)\s*[„\"“«‘']"),
    # a named author's piece in a named publication, or with its title ("Mr. Krauthammer's February 12 column in
    # The Post", "Smith's review “A Quiet Harbour”")
    (r"\b[A-Z][\w-]*['’]s\s+(?:[\w,]+\s+){0,3}(?:column|article|story|essay|op-ed|review|photo(?:graph)?|report)\s+"
     r"(?:(?:in|from|on)\s+(?:the\s+)?[A-Z]|[\"“‘])"),
    # the sender says whose the work is ("I am the author of the Viggle article", "The image is by Mike Kepka")
    (r"\b(?:I\s+am|I'm|we\s+are)\s+the\s+(?:author|photographer|creator|owner|copyright\s+(?:owner|holder))\s+of\s+"
     r"(?:the|this|that|these)\s+(?:[\w-]+\s+){0,3}?(?:article|photo(?:graph)?|image|picture|post|story|video|"
     r"illustration|column)s?\b"),
    (r"\b(?:the|this|that)\s+(?:image|photo(?:graph)?|picture|illustration|video)\s+(?:is|was)\s+(?:by|taken\s+by|"
     r"shot\s+by|created\s+by)\s+[A-Z]"),
    (r"\bowns?\s+(?:the\s+)?(?:copyright\s+(?:in|to)\s+(?:the|this|that|these)\s+)?(?:article|photo(?:graph)?|image|picture|story|"
     r"text|video|footage|illustration|graphic|report)s?\b"),
    (r"\b(?:our|my|his|her|their|[A-Z][\w-]*['’]s)\s+(?:\w+\s+){0,2}(?:article|photo(?:graph)?|image|picture|story|"
     r"video|illustration|report)s?\s+(?:of|about|titled|entitled|called|published|taken|headlined|\")"),
    (r"\bowns\s+(?:all\s+right|the\s+copyright)(?!\s+(?:to|in|of)\s+(?:all\s+)?(?:images|photo(?:graph)?s|pictures|"
     r"articles|stories|content|imagery|material)\b)"), r"\b(?:source\s+code|files?)\s+(?:of|from|belonging to)\s+\w+",
    r"copyright(?:s|ed)?\s+(?:in|to|of)\s+(?:the\s+)?(?:\w+\s+){0,3}(?:software|code|work|book|product|game)",
    # the works named by what the rights attach to: "X's copyrights ... associated with their television channels"
    (r"copyrights?\b[^.\n]{0,80}?\b(?:associated with|relating to|related to|covering|in respect of)\s+(?:their|its|"
     r"our|my|his|her|[A-Z][\w-]*['’]s)\s+\w+"),
)

# DSA Art. 16(2) in the member states' languages: notices and the providers' forms are written in them. The wording
# follows the Regulation's official texts ("Erläuterung der Gründe", "raisons pour lesquelles", "redenen waarom",
# "motivi per cui", "razones por las que") and what the forms ask ("warum Sie die Information als rechtswidrig ansehen").
DSA_REASONS_Q = (r"^[^\n]{0,120}?(?:erläutern|begründen|erläuterung\s+der\s+gründe|raisons?\s+pour\s+lesquelles|"
                 r"expliquez|redenen\s+waarom|toelichting|motivi\s+per\s+cui|spiegazione|razones\s+por\s+las\s+que|"
                 r"explicaci[oó]n|uzasadnienie|wyjaśnienie|wyjaśnij|uzasadnij|vysvětlete|zdůvodněte|förklara|"
                 r"forklar|explique|explain\s+why)[^\n]{0,200}")
DSA_REASONS = (
    (r"(?:rechtswidrig\w*|verletz\w*|urheberrecht\w*|illicite\w*|contrefa\w*|droits?\s+d.auteur|onrechtmatig\w*|"
     r"illegaal|auteursrecht\w*|illecit\w*|diritto\s+d.autore|il[ií]cit\w*|derechos?\s+de\s+autor)[^.]{0,200}?"
     r"(?:\bweil\b|\bda\b|\bdenn\b|parce\s+que|\bcar\b|\bomdat\b|\bperché\b|\bporque\b|§|\bart\.|"
     r"artikel|article|articolo|art[ií]culo|UrhG|\bCPI\b|Auteurswet|\bLDA\b|\bLPI\b)"),
    (r"(?:\bweil\b|parce\s+que|\bomdat\b|\bperché\b|\bporque\b)[^.]{0,200}?(?:rechtswidrig\w*|verletz\w*|"
     r"illicite\w*|onrechtmatig\w*|illegaal|illecit\w*|il[ií]cit\w*)"),
    # Polish and Czech: "narusza moje autorskie prawa ... (art. 16 ustawy o prawie autorskim)"
    (r"(?:narusz\w*|nielegaln\w*|bezprawn\w*|porušuj\w*|porušen\w*|neoprávněn\w*)[^.]{0,200}?"
     r"(?:\bart\.|ustaw\w*|zákon\w*|\bprawie\s+autorskim|autorsk\w+\s+zákon)"),
)
DSA_BONA_FIDE = (
    # the forms' declarations that the notice is made truthfully ("naar waarheid", "wahrheitsgemäß", "sur l'honneur")
    (r"(?:verklaar|bevestig|versichere|bestätige|erkläre|certifie|déclare|dichiaro|declaro)\w*[^.]{0,120}?"
     r"(?:naar\s+waarheid|wahrheitsgemäß|nach\s+bestem\s+wissen|sur\s+l.honneur|sincères?\s+et\s+(?:véritables?|exact)|"
     r"veritier|verdader|conforme\s+alla\s+verità)"),
    (r"(?:in\s+gutem\s+glauben|nach\s+bestem\s+wissen|de\s+bonne\s+foi|te\s+goeder\s+trouw|in\s+buona\s+fede|"
     r"de\s+buena\s+fe|w\s+dobrej\s+wierze)[^.]{0,250}?(?:richtig|vollständig|zutreffend|exact\w*|complet\w*|"
     r"juist|volledig|accurat\w*|esatt\w*|corrett\w*|veraz|precis\w*|prawdziw\w*|kompletn\w*)"),
)
