"""Word families of what people say around the news: absence notices, thanks,
acknowledgements, pleasantries, and the signs that a message answers something.

`kinds` reads a courtesy only when every sentence falls into these families and no
answer sign appears (folded text, see `text.norm`).
"""

from __future__ import annotations

from followup.core.reading.vocabulary import W

OUT_OF_OFFICE = (
    r"\b(?:i am|i'm|i will be|i'll be)\s+(?:currently\s+|presently\s+|now\s+)?(?:out of (?:the )?"
    r"office|ooo\b|away from (?:the |my )?(?:office|desk|e-?mail)|on (?:\w+\s+)?(?:leave"
    r"|vacation|holidays?|pto|sabbatical)|out (?:until|till|through|from)|off (?:until|till"
    r"|from))",
    r"\blimited access to (?:my )?e-?mails?\b|\bthis is an automat(?:ic|ed) (?:reply|response"
    r"|message)\b",
    r"\b(?:bin|sind)\s+[^!?\n]{0,60}?(?:nicht im buro|abwesend|im urlaub|nicht erreichbar"
    r"|auf dienstreise|ausser haus|nicht im haus)|\babwesenheitsnotiz\b",
    r"\bje suis (?:actuellement )?(?:absente?|en (?:conges?|vacances|deplacement)|hors du"
    r" bureau|en dehors du bureau)|\bje serai (?:absente?|de retour)",
    r"\bestoy (?:actualmente )?(?:fuera de la oficina|de vacaciones|ausente|de viaje|fuera)\b"
    r"|\bestare (?:fuera|de vacaciones|ausente)\b",
    # automatic acknowledgements
    r"\b(?:we|i) (?:have )?received your (?:message|e-?mail|inquiry|request)\b[^.]{0,80}?"
    r"\b(?:respond|reply|get back|answer)",
    r"\bnous avons bien recu votre (?:message|mail|e-mail|courriel)|\bwir haben ihre"
    r" (?:nachricht|e-mail|anfrage) erhalten|\bhemos recibido tu (?:mensaje|correo)",
)
OUT_OF_OFFICE_SUBJECT = (
    r"^(?:out of (?:the )?office|ooo\b|automatic reply|auto(?:matic)?[- ]?(?:reply|response)"
    r"|autoreply|automatische antwort|abwesen\w*|reponse automatique|absence|absent\b"
    r"|respuesta automatica|fuera de (?:la )?oficina|accuse de reception|acuse de recibo"
    r"|eingangsbestatigung: (?:ihre )?nachricht)",
)

FEEDBACK_GIVEN = (
    r"\b(?:here(?:'s| is| are)|as promised|you asked for|as requested)[^.!?\n]{0,60}feedback"
    r"|\b(?:wie versprochen|hier (?:ist|sind|kommt)|anbei)[^.!?\n]{0,60}(?:feedback"
    r"|ruckmeldung)|\b(?:comme promis|voici)[^.!?\n]{0,60}(?:retour|feedback|commentaires)"
    r"|\b(?:como te prometi|aqui (?:tienes|van|esta)|te comparto)[^.!?\n]{0,60}"
    r"(?:retroalimentacion|comentarios|feedback)",
)

# A sentence that says nothing new: thanks, an acknowledgement, pleasantries, a greeting.
THANKS = (r"\bthank|\bthanks\b|\bappreciat|\bdanke|\bdank\b|\bmerci\b|\bgracias\b|\bagradec",)
ACKNOWLEDGE = (
    rf"\b(?:got (?:it|them|this|your)|received|(?:have|has) arrived|pass(?:ed|ing)? {W}{{0,4}}?"
    r"(?:on|along)"
    rf"|shar(?:ed|ing) {W}{{0,4}}?with|forward(?:ed|ing)? {W}{{0,4}}?to|reach out to (?:them|both"
    r"|your references)|contact (?:them|both)|weitergeleitet|weitergegeben|erhalten|bekommen"
    rf"|transmets|transmis|transmettre|bien recu|compart\w+|recibid\w+|reenvi\w+)\b"
    r"|\bmake sure (?:the team|everyone|they|the panel|the hiring manager|it)\b|\blet (?:the team"
    r"|him|her|them|everyone) know\b|\b(?:gebe|leite|reiche)\b[^.!?]{0,40}\bweiter\b|\b(?:le |les )?paso (?:tus|sus|tu|su)"
    r" (?:comentarios|mensaje|nota)\b|\btraslad\w+",
)
IN_TOUCH = (
    r"\b(?:be|stay|keep) in touch\b|\bkeep you (?:posted|updated|informed)\b|\bquedamos en"
    r" contacto\b|\bseguimos en contacto\b|\bmelden uns\b|\brestons en contact\b|\btalk soon\b",
)
PLEASANTRY = (
    r"\benjoy|\bglad\b|\bpleasure\b|\bgreat\b|\bnice\b|\blovely\b|\bwonderful\b|\bimpress"
    r"|\bexactly the kind|\bfun\b|\bthoughtful|\bkind (?:words|note)|\b(?:very|so|how|that's|most)"
    r" kind\b|\bsehr nett\b|\b(?:tres )?(?:gentil|aimable)\b|\bmuy amable\b|\blikewise|\byou're welcome"
    r"|\bno problem|\bgefallen|\bgefreut|\bfreue?n?\b|\bschon\b|\bgern(?:e)? geschehen"
    r"|\bapprecie|\bplaisir|\bravi|\benchante|\bgusto\b|\bencant|\bgenial|\bexcelente"
    r"|\bde nada|\bplacer\b|\bcongrat|\bgood luck|\bbest of luck|\bhave a (?:great|good|nice)|\bbonne"
    r" (?:soiree|journee|continuation)|\bschones wochenende|\bbuen fin de semana|\bquickly\b",
)
GREETING = (
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|guten (?:tag|morgen|abend)"
    r"|liebe[r]?|sehr geehrte[r]?|moin|servus|bonjour|bonsoir|salut|cher|chere|hola"
    r"|buenos dias|buenas tardes|estimad[oa])\b",
)
# Signs that a message answers something: then it is a reply, never a courtesy.
ANSWER = (
    r"\?|\b(?:question|questions|frage|fragen|pregunta|preguntas)\b",
    r"\b(?:to answer|regarding|as for|about your|re your|in answer|zur frage|zu ihrer frage"
    r"|concernant|quant a|pour repondre|sobre tu|respecto a|en cuanto a|con respecto)\b",
    r"https?://|\bwww\.|[a-z]\s?:\s+[a-z0-9]",
    r"\b(?:here(?:'s| is| are)|attached|enclosed|anbei|im anhang|ci-joint|voici|adjunto"
    r"|te comparto|aqui (?:esta|tienes|va))\b",
    r"(?:^|\n|[.!?]\s)\s*(?:yes|no|ja|nein|oui|non|si)\b\s*[,.!:]",
)
