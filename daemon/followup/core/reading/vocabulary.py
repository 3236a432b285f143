"""Word families of each kind, in English, German, French and Spanish (folded text).

Families are small grammars ("not … moving forward with your …", "another … candidate …
decided") rather than whole sentences, so that other people's wording still matches.
`kinds` decides in which order they are asked.
"""

from __future__ import annotations

W = r"(?:[\w'-]+\s+)"  # one word and its space, for "{0,3}" gaps

REJECTION = (
    # en
    rf"\b(?:decided|decision|chosen|opted|elected)\s+{W}{{0,2}}?not\s+to\s+(?:move|proceed"
    r"|progress|pursue|continue|advance|go|take|extend|offer|hire|invite)\b"
    r"|\bdecided against (?:moving|proceeding|continuing|progressing|hiring)\b"
    r"|(?:\bnot|n't)\s+(?:be\s+)?(?:inviting|invite) you (?:to|for|back)\b",
    r"(?:\bnot|n't|\bno longer|\bunable to)\s+(?:be\s+)?(?:able\s+to\s+)?(?:moving|move|proceeding"
    r"|proceed|progressing|progress|advancing|advance|continuing|continue)\s+(?:forward\s+"
    r"|ahead\s+|further\s+|on\s+)?(?:with\s+(?:you|your|the|this)\b|your\b|you\b|at this"
    r"|in the process|to the next)",
    rf"\b(?:move|moving|proceed|proceeding|go|going|continue|continuing|select|selected|chose"
    r"|chosen|choose|decided on|offer(?:ed|ing)? (?:the|this) (?:role|position|job) to|hire"
    r"|hired|hiring|extend(?:ed)? (?:an|the) offer to|pursue|pursuing|went|gone|settled on)"
    rf"\s+(?:forward\s+|ahead\s+)?(?:with\s+)?(?:another|other|a different|an alternative"
    rf"|one of the other|the other|a more|an internal)\s+{W}{{0,3}}?(?:candidates?"
    r"|applicants?|person|profiles?|finalists?|individual|hire)\b",
    r"\b(?:go|going|went|move|moving|proceed|proceeding) (?:forward )?with someone\b",
    r"\b(?:proceed|proceeding|move|moving|go|going|continue|continuing|pursue|pursuing)\s+"
    r"(?:forward\s+|ahead\s+)?(?:with\s+)?(?:an?\s+)?(?:\w+\s+)?(?:candidates?|applicants?"
    r"|profiles?|people|individuals?)\s+(?:whose|who|with|that)\b",
    r"\b(?:go|going|gone|went|head|heading)\s+(?:in\s+)?(?:a\s+)?(?:different|another) direction\b",
    r"\b(?:decided|chosen|chose|opted|gone|going|go|went|hire|hired|selected|offered)\b[^.!?]{0,40}"
    r"\bsomeone else\b|\b(?:position|role|job|opening)\s+(?:is|has)\s+(?:\w+\s+)?no longer"
    r" (?:available|open)\b",
    r"\b(?:have|'ve|has|had)\s+(?:now\s+|already\s+|since\s+)?filled (?:the|this|that) (?:role"
    r"|position|job|opening|vacancy)\b|\bdecided to (?:close|cancel) (?:the|this) (?:role|position"
    r"|search|requisition|opening|vacancy)\b",
    rf"\b(?:position|role|job|vacancy|opening|requisition)\s+{W}{{0,3}}?(?:has|have|had|is|was)"
    r"\s+(?:now\s+|since\s+|already\s+|just\s+)?(?:been\s+)?(?:filled|closed|cancell?ed"
    r"|eliminated)\b",
    r"(?:\bnot|n't|\bunable to|\bcannot)\s+(?:be\s+)?(?:able\s+to\s+)?(?:offer you|extend (?:you )?"
    r"an offer|make you an offer|offering you|extending (?:you )?an offer|making (?:you )?an offer)",
    r"(?:\bnot|n't)\s+(?:been\s+)?(?:selected|shortlisted|chosen|successful)\b|\bunsuccessful\b"
    r"|\bno longer (?:under consideration|being considered|considering)\b",
    r"(?:\bnot|n't)\s+(?:quite\s+)?(?:the\s+|a\s+)?(?:right|best|good|strong)\s+(?:fit|match)\b",
    # de
    rf"\b(?:anderen?|andere|anderer)\s+{W}{{0,2}}?(?:bewerber\w*|kandidat\w*|person|profil)\b"
    r"[^.!?]{0,60}?\b(?:entschieden|entscheiden|gewahlt|ausgewahlt|vergeben|besetzt)",
    r"\bnicht\s+(?:mehr\s+|weiter\s+|weiterhin\s+)?(?:zu\s+)?(?:berucksichtigen|berucksichtigt"
    r"|weiterverfolgen|weiter verfolgen|fortsetzen|fortfuhren|in betracht|in die engere wahl)",
    r"\b(?:eine )?absage\b(?! (?:des|der|unseres|ihres) (?:termin|gesprach))",
    rf"\b(?:stelle|position|vakanz)\s+{W}{{0,3}}?(?:bereits\s+|inzwischen\s+|anderweitig\s+"
    r"|schon\s+)*(?:besetzt|vergeben)\b",
    r"\bgegen (?:sie|ihre (?:bewerbung|kandidatur)|eine (?:weitere )?zusammenarbeit|eine"
    r" einstellung)\b[^.!?]{0,20}\bentschieden\b|\bnicht (?:in|fur) die nachste (?:runde|phase)\b|\banderweitig (?:zu )?(?:besetzen"
    r"|vergeben)|\bkeine (?:positive )?(?:zusage|stelle anbieten)|\babsagen mussen\b"
    r"|\bkein(?:e|en)? (?:angebot|zusage|stellenangebot)\b",
    # fr
    r"\bpas\s+(?:pu\s+|pouvoir\s+)?(?:donner\s+)?(?:une\s+)?suite\b|\bne pass\w* pas a"
    r" (?:l'etape suivante|la prochaine etape|l'etape d'apres)|\bno pasar\w* a la (?:siguiente"
    r"|proxima) (?:etapa|fase|ronda)",
    rf"\bne\s+{W}{{0,4}}?(?:pas|plus)\s+{W}{{0,4}}?(?:donner suite|suite favorable|poursuivre"
    r"|retenir|aller plus loin)",
    r"\b(?:pas|non)\s+(?:ete\s+)?retenue?s?\b",
    rf"\b(?:autre|d'autres)\s+{W}{{0,2}}?(?:candidat\w*|profil\w*|personne)\b[^.!?]{{0,60}}?"
    r"\b(?:retenu\w*|choisi\w*|privilegi\w*|opte|decide|orient\w*|arrete)",
    rf"\b(?:retenu|choisi|privilegie|opte pour)\s+{W}{{0,3}}?(?:une? )?(?:autre|d'autres)\s+"
    r"(?:candidat|profil|personne)",
    rf"\bposte\s+{W}{{0,2}}?(?:a\s+ete\s+|est\s+)?(?:deja\s+)?pourvu|\breponse (?:negative"
    r"|defavorable)|\bne correspond pas\b[^.!?]{0,40}\b(?:attentes|besoins|criteres|recherchons)",
    # es
    r"\bno (?:vas a |podras |podremos )?(?:avanzaras|continuaras|seguiras|avanzar a la siguiente"
    r"|continuar en el proceso)\b",
    rf"\bno\s+{W}{{0,2}}?(?:continuar|seguir|avanzar|continuaremos|seguiremos|avanzaremos)\s+"
    rf"{W}{{0,2}}?(?:con tu|con su|contigo|adelante|en el proceso)",
    rf"\b(?:otro|otra|otros|otras)\s+{W}{{0,2}}?(?:candidat[oa]s?|perfil(?:es)?|persona)\b"
    r"[^.!?]{0,60}?\b(?:decidido|elegido|seleccionado|optado|avanzar|continuar|seguir)",
    rf"\b(?:decidido|elegido|optado por|seleccionado|avanzar|continuar|seguir)\s+{W}{{0,3}}?"
    r"(?:con\s+)?(?:otro|otra|otros|otras)\s+(?:candidat|perfil|persona)",
    rf"\bno (?:has|ha|hayas) sido seleccionad|\bno fuiste seleccionad|\b(?:posicion|vacante"
    rf"|puesto)\s+{W}{{0,2}}?(?:ha sido|fue|ya esta|esta|ya fue) (?:cubiert[oa]|cerrad[oa])",
)

OFFER = (
    r"\b(?:extend(?:ing|ed)?|make|making|made|send(?:ing)?|sent|attach(?:ed|ing)?|prepar(?:e"
    r"|ed|ing)|present(?:ing)?|confirm(?:ing)?|issued?|email(?:ed)?)\s+(?:you\s+)?(?:with\s+)?"
    r"(?:a|an|the|our|your)\s+(?:(?:formal|verbal|written|official|conditional|job|contingent"
    r"|final)\s+)*offer\b(?!\s+(?:to|for)\s+(?:another|other|a different|someone))",
    rf"\boffer you (?:the|a|this|our)\s+{W}{{0,4}}?(?:position|role|job|post)\b",
    r"\b(?:move|moving) forward with an offer\b|\ban offer (?:is )?(?:on its way|coming your way)\b"
    r"|\boffer of employment\b|\byour (?:job |employment |formal |written |verbal )?offer"
    r"(?: letter)? (?:is (?:ready|attached|here|on its way)|has been (?:sent|issued|approved))",
    rf"\b(?:ihnen|dir)\s+{W}{{0,3}}?(?:die stelle|die position|den job|einen (?:arbeits)?vertrag"
    rf"|ein (?:vertrags|job)?angebot)\s+{W}{{0,5}}?(?:anbieten|machen|unterbreiten|zukommen)",
    r"\b(?:vertragsangebot|jobangebot)\b|(?<!keine )\bzusage\b|\bsie wurden fur die stelle"
    r" ausgewahlt",
    r"\b(?:you've|you have) been selected for the (?:role|position|job)\b|\b(?:has|ha) sido"
    r" seleccionad[oa] para (?:el puesto|la posicion|la vacante)|\bvous faire une (?:proposition"
    r"|offre)\b",
    rf"\b(?:proposer|proposons|propose|offrir|offrons)\s+{W}{{0,2}}?(?:le poste|ce poste|un poste"
    r"|le role|un contrat|un cdi|le job)",
    r"\bproposition (?:d'embauche|de contrat|d'emploi|ecrite|salariale)|\bpromesse d'embauche"
    r"|\boffre (?:d'embauche|de contrat|ferme)\b",
    rf"\b(?:ofrecerte|ofrecerle|ofrecemos|ofrecer|ofrecerles)\s+{W}{{0,2}}?(?:el puesto"
    r"|la posicion|la vacante|un puesto|el rol|una oferta|el trabajo|la plaza)",
    rf"\boferta (?:de (?:trabajo|empleo)|laboral|formal)\b|\bcarta (?:de )?oferta\b|\b(?:extender"
    rf"|enviarte|te enviamos|adjunto|adjuntamos|te hacemos|hacerte)\s+{W}{{0,2}}?oferta\b",
)
OFFER_SUBJECT = (
    r"^(?:your |job |an? )?offer\b(?!\s+(?:to|for)\b)|\boffer (?:letter|from|of employment|details)\b"
    r"|\byour (?:job )?offer\b|^(?:ihr )?(?:vertrags|job|arbeits)?angebot\b|\bihr angebot\b"
    r"|\b(?:vertrags|job)angebot\b|\bproposition (?:d'embauche|de contrat)\b|\boffre d'embauche"
    r"\b|\bvotre offre\b|\boferta (?:de trabajo|laboral|de empleo)\b|\btu oferta\b|\bcarta oferta\b",
)
OFFER_WORD = (r"\boffer\b|\bangebot\b|\bvertrag\b|\bproposition\b|\boffre\b|\boferta\b",)

NOT_ABOUT = (
    # receipts and statements
    r"\b(?:your order|order (?:number|no\.?|#)|has shipped|shipping (?:confirmation|notice)"
    r"|tracking number|track your (?:package|order|shipment)|out for delivery|receipt for your"
    r"|your invoice|invoice (?:number|no\.?|#)|payment (?:received|confirmation|is due)|statement is (?:ready|available)"
    r"|ihre bestellung|versandbestatigung|sendungsverfolgung|ihre rechnung|votre commande"
    r"|suivi de (?:votre )?colis|votre facture|tu pedido|su pedido|numero de seguimiento|tu factura)\b",
    # candidate-experience surveys
    r"\b(?:survey|candidate experience|rate your (?:experience|interview)|how was your"
    r" (?:interview|experience)|umfrage|wie war ihr|enquete|sondage|questionnaire de"
    r" satisfaction|encuesta|cuentanos (?:sobre )?tu experiencia|como fue tu experiencia)\b",
    r"\b(?:thanks? (?:you )?for your (?:purchase|order)|your receipt|order confirmation"
    r"|bestellbestatigung|ihr einkauf|confirmation de (?:votre )?commande|votre achat"
    r"|confirmacion de (?:tu |su )?pedido|tu compra)\b",
    r"\bfeedback (?:on|about) (?:our|the|your) (?:hiring|interview|recruiting|application)"
    r" (?:process|experience)\b|\b(?:votre avis|ihre meinung|tu opinion|your opinion)\b[^.!?]{0,60}"
    r"\b(?:processus|recrutement|bewerbungsprozess|proceso|experiencia|experience|process)",
    rf"\b(?:another|a different|other|a new)\s+{W}?(?:role|position|opening|opportunity|requisition"
    rf"|vacancy)\s+{W}{{0,4}}?(?:that|which)\s+{W}{{0,3}}?(?:fits?|suits?|match\w*|interest\w*)"
    r"|\bmight be a (?:better|good|great) fit\b|\bwould you be (?:interested|open) (?:in|to)"
    rf" {W}{{0,2}}?(?:another|a different|our other|other)\b|\b(?:eine andere|eine weitere) (?:stelle"
    r"|position|vakanz)\b[^.!?]{0,40}(?:passen|interessant|interessieren)|\bun autre poste\b"
    r"[^.!?]{0,40}(?:correspond|interess|convien)|\b(?:otra vacante|otro puesto|otra posicion)"
    r"\b[^.!?]{0,40}(?:interes|encaj)",
    # another client, another requisition, referrals
    r"\b(?:one of my clients|a client of (?:mine|ours)|my client|on behalf of (?:a|my|our)"
    r" client|came across your (?:profile|resume|cv)|know (?:anyone|someone|somebody) (?:who"
    r"|in your network|that)|refer (?:someone|anyone|a friend)|(?:any|some) referrals?\b|referrals? for\b|kennen sie"
    r" jemanden|jemanden in ihrem netzwerk|un de mes clients|quelqu'un dans (?:votre|ton)"
    r" reseau|connaitri?ez-vous quelqu'un|connaissez-vous quelqu'un|conoces a alguien"
    r"|alguien en tu red|uno de mis clientes)",
)
# Bulk mail a header rule missed: job alerts and marketing (read with the footer).
MARKETING = (
    r"\b(?:job alert|new jobs? (?:for|matching|near)|jobs you may be interested in"
    r"|recommended jobs|unsubscribe|view (?:this email )?in (?:your )?browser|manage (?:your )?"
    r"(?:email )?preferences|newsletter|abmelden|se desabonner|darse de baja"
    r"|cancelar suscripcion)\b",
    r"\b\d{1,2} ?% (?:off|rabatt|de reduction|de descuento)\b|\b(?:shop now|free shipping"
    r"|promo code|jetzt (?:kaufen|shoppen)|gutschein\w*|soldes|envio gratis|codigo de descuento"
    r"|special offer|sonderangebot|oferta especial|offre speciale)\b",
)
APPLICATION_RECEIPT = (
    r"\b(?:thank you for applying|thanks for applying|(?:we have|we've) received your"
    r" application|application (?:has been )?received|wir haben ihre bewerbung erhalten"
    r"|eingangsbestatigung|nous avons bien recu votre candidature|hemos recibido tu"
    r" (?:solicitud|postulacion|candidatura|cv)|gracias por postularte)\b"
    r"|\b(?:ihre|deine) (?:bewerbung|bewerbungsunterlagen) (?:ist |sind )?(?:bei uns )?"
    r"(?:eingegangen|erhalten)\b|\bwir haben ihre bewerbungsunterlagen erhalten\b"
    r"|\bvotre candidature a bien ete (?:recue|enregistree)\b|\bmerci d'avoir postule\b"
    r"|\btu postulacion (?:ha sido|fue) recibida\b",
)

NEXT_STEP_STRONG = (
    rf"\b(?:invite|inviting|invitation)\b\s+{W}{{0,4}}?(?:to|for)\b",
    r"\b(?:would|'d) (?:like|love) (?:you )?to (?:invite|schedule|set up|arrange|move you|have"
    r" you|do|meet|continue|proceed|book)\b",
    rf"\boffer you (?:a|an|the)\s+{W}{{0,3}}?(?:interview|conversation|call|chat|meeting|round"
    r"|opportunity to (?:interview|meet|speak|present))",
    rf"\b(?:does|would|will) {W}{{0,4}}?(?:work|suit)\b[^.!?]{{0,30}}\?|\breschedul\w*"
    r"|\b(?:podrias|puedes|te parece)\s+(?:el|este|la|manana|a las)\b",
    r"\b(?:as (?:a|the) next step|next steps? (?:is|are|will be|would be)|the next step in)\b",
    rf"\b(?:share|send|provide|let (?:me|us) know|confirm)\s+{W}{{0,8}}?(?:availability|times"
    r"|time slots?|slots?|references?|documents?|transcripts?|portfolio|work samples?)\b",
    r"\b(?:schedule|book|pick|choose|select)\s+(?:a\s+|an\s+|the\s+|your\s+|some\s+)?"
    rf"{W}?(?:times?|slots?|interviews?|calls?|meetings?|sessions?)\b",
    rf"\b(?:does|would|will|could) {W}{{0,4}}?(?:work|suit) (?:for you|better)|\b(?:could|can) (?:we|you)"
    r" (?:do|move|try|switch|make)\b|\bwould you be (?:available|free)\b|\bare you (?:available|free)\b"
    r"|\bworks? (?:better |best )?for you\b",
    rf"\b(?:please|kindly)\s+{W}{{0,2}}?(?:complete|submit|fill out|upload|schedule|sign up"
    r"|choose|pick|select|book|use the link)",
    r"\bhere is (?:your|the) (?:take-home|assessment|exercise|coding|case|invitation|invite"
    r"|agenda)|\byour (?:take-home|assessment|coding exercise)\b",
    # de
    rf"\b(?:einladen|einladung)\b|\bladen (?:wir |ich )?sie {W}{{0,3}}?ein\b|\b(?:mochten"
    rf"|wurden) (?:wir )?(?:sie |ihnen )?(?:gerne? )?{W}{{0,3}}?(?:einladen|kennenlernen"
    r"|vorschlagen)\b|\bals nachste[nrs]? schritt|\bder nachste schritt (?:ist|ware|wird)",
    rf"\b(?:senden|schicken|nennen|mitteilen|geben) sie (?:mir |uns )?{W}{{0,4}}?(?:termine"
    r"|terminvorschlage|verfugbarkeit|referenzen|unterlagen|zeiten)|\bpasst (?:ihnen|es ihnen"
    rf"|dir)\b|\bwurde (?:ihnen|dir) {W}{{0,3}}?passen|\bginge\b[^.!?]{{0,40}}\?"
    rf"|\bware\b[^.!?]{{0,40}}\bmoglich\b\s*\?|\bhatten sie"
    rf" {W}{{0,3}}?zeit|\bwie ware es mit\b",
    # fr
    r"\bvous inviter\b|\binvitation (?:a|pour)\b|\bprochaine etape (?:est|sera|serait|consiste)"
    r"|\bpoursuivre avec (?:vous|une|un)\b|\bcomme prochaine etape|\bconvient-il\b"
    r"|\bvous (?:convient|conviendrait|irait)\b|\bseriez-vous disponible",
    rf"\b(?:pourriez|pouvez)-vous {W}{{0,4}}?(?:disponibilites|creneaux|references|documents)"
    rf"|\bmerci de {W}{{0,3}}?(?:choisir|indiquer|completer|remplir|planifier|reserver)",
    # es
    rf"\binvitarte\b|\bte invitamos\b|\binvitacion (?:a|para)\b|\bnos gustaria {W}{{0,3}}?"
    r"(?:invitarte|agendar|conocerte|programar|que (?:hagas|realices|presentes))"
    r"|\bqueremos (?:agendar|programar|invitarte)\b|\bte (?:vendria|viene|queda|funciona) bien\b"
    r"|\bte funciona\b|\bcomo siguiente paso|\bel siguiente paso (?:es|sera|seria)",
    rf"\b(?:podrias|puedes) {W}{{0,3}}?(?:compartir|enviar|mandar) {W}{{0,3}}?(?:disponibilidad"
    r"|horarios|referencias|documentos)",
)
NEXT_STEP_WEAK = (
    r"\bnext (?:step|steps|stage|round)\b|\b(?:final|second|third|2nd|3rd|next|technical"
    r"|onsite|on-site|follow-up|in-person|panel|virtual)\s+(?:round|interview|conversation"
    r"|stage|onsite)s?\b|\btake-?home\b|\bassessment\b|\bcoding (?:challenge|exercise|test)\b"
    r"|\bcase study\b|\breferences\b|\breference check|\bbackground check|\bquestionnaire\b"
    r"|\bon-?site\b",
    r"\bnachste[nrs]? (?:schritt|runde|gesprach|phase|etappe)|\b(?:zweit|dritt|final"
    r"|abschluss|fach)gesprach|\bzweite[ns]? (?:gesprach|runde|interview)|\breferenzen\b"
    r"|\bprobearbeit\w*|\bfallstudie|\b(?:programmier|coding)[- ]?(?:aufgabe|test|challenge)"
    r"|\bfragebogen\b|\btermin(?:vorschlag\w*|e)? (?:vereinbaren|auswahlen|wahlen|buchen)\b"
    r"|\bterminvorschlag\w*",
    r"\bprochaine etape\b|\betape suivante\b|\b(?:second|deuxieme|troisieme|dernier|final|2e)"
    r"\s+(?:entretien|tour|echange)|\bentretien (?:final|technique)|\bcreneaux?\b"
    r"|\bdisponibilites?\b|\betude de cas|\bcas pratique|\btest technique|\breferences\b",
    r"\bsiguiente (?:paso|etapa|fase|ronda)|\bproxim[oa] (?:paso|etapa|fase|entrevista|ronda)"
    r"|\bentrevista (?:final|tecnica)|\bsegunda entrevista|\bagendar\b|\bdisponibilidad\b"
    r"|\bprueba (?:tecnica|de codigo)|\breferencias\b|\b(?:elige|elegir|reserva|reservar)"
    r" (?:un|tu) horario\b",
    r"^(?:updated )?(?:invitation|einladung|invitacion)\s*:",
    rf"\binterview\s+{W}{{0,4}}?(?:has been |is |was )?(?:scheduled|confirmed|booked)\b"
    r"|\b(?:scheduled|confirmed|booked)"
    r" (?:your|an|the) interview\b|\binterview (?:confirmation|invitation|details|reminder)\b"
    r"|\b(?:interview|gesprach)\w* (?:ist )?bestatigt\b|\bterminbestatigung\b|\bentretien (?:est )?"
    r"confirme\b|\bconfirmation d'entretien\b|\bentrevista (?:ha sido |esta )?(?:confirmada"
    r"|agendada|programada)\b|\bconfirmacion de (?:tu )?entrevista\b",
)
# Words that make a next-step noun a mention of the past or of the wait, not a step.
NOT_A_STEP_CONTEXT = (
    r"\b(?:thank(?:s| you)(?: \w+)? for|danke fur|vielen dank fur|merci (?:pour|de)|gracias por"
    r"|yesterday|last week|earlier|after (?:the|our|your)|following (?:the|our|your)|since (?:the"
    r"|our)|gestern|letzte woche|nach (?:dem|unserem|ihrem)|la semaine derniere|apres (?:le|la"
    r"|notre|votre)|suite a|ayer|la semana pasada|despues de (?:la|tu|nuestra)|tras (?:la|tu)"
    r"|still|noch|encore|todavia|aun)\b",
    rf"\b(?:follow(?:ing)? up|hear(?: back)?|be in touch|get back to you|update you|reach out"
    rf"|come back to you|let you know|inform you|contact you|melden uns|reviendrons)\s+{W}{{0,3}}?"
    r"(?:with|about|on|regarding|re|zu|sur|sobre|to discuss)\b|\bif\b|\bfalls\b|\bsofern\b",
)

HOLD_UP = (
    r"\b(?:no|not (?:yet )?(?:made|reached) a|(?:haven't|hasn't|have not|has not) (?:yet )?"
    r"(?:made|reached) a|yet to (?:make|reach) a)\s+(?:final\s+)?decision",
    r"\bdecision (?:yet|has(?:n't| not) (?:yet )?been made)\b|\b(?:don't|do not|doesn't) have"
    r" (?:a|any) (?:final )?(?:decision|news|update) yet\b",
    r"\bstill (?:\w+\s+)?(?:interviewing|reviewing|meeting|evaluating|deciding|finali[sz]ing"
    r"|completing|waiting|working|gathering|collecting|in the process|talking|considering"
    r"|discussing|speaking|finishing|going through)\b",
    r"\b(?:need|needs|needed|take|taking|takes|require|requires)\s+(?:a\s+(?:bit|little)\s+"
    r"|some\s+)?(?:more|longer|extra|additional)\s+time\b|\btaking (?:a (?:bit|little) )?longer",
    r"\b(?:slipped|delayed|pushed (?:back|out|to)|moved (?:back|to (?:next|later|the following))"
    r"|on hold|postponed|behind schedule)\b"
    r"|\bexpect (?:a|some) delay\b|\ba (?:short |slight |small )?delay\b"
    r"|\b(?:collecting|gathering|waiting (?:on|for)) (?:\w+\s+)?feedback\b|\bno news yet\b"
    r"|\bfinishing (?:its|our|the) (?:last|final) (?:\w+\s+)?interviews|\bhiring freeze\b"
    r"|\bwaiting (?:to hear|on (?:the|a|our|final)|for (?:the|a|our|final))\b",
    r"\bnoch kein(?:e|en)? (?:feedback|ruckmeldung|nachricht|neuigkeiten|entscheidung)\b"
    r"|\bpas encore (?:de|eu de|recu de) (?:retour|nouvelles|reponse)\b|\b(?:aun|todavia) no"
    r" (?:tengo|tenemos|hay) (?:novedades|noticias|respuesta)\b",
    rf"\bnoch keine (?:endgultige |finale )?entscheidung|\bnoch nicht (?:entschieden"
    r"|abgeschlossen)|\bnoch (?:etwas|ein wenig|ein bisschen|mehr|einige) zeit\b|\b(?:mehr"
    rf"|langer) zeit\b|\bverzog\w*|\bzwischenstand\b|\bstimmen uns {W}{{0,3}}?ab\b|\babstimmung\b"
    rf"|\bnoch in (?:der )?(?:abstimmung|prufung|gesprachen)|\b(?:fuhren|prufen|sichten)"
    rf" {W}{{0,4}}?noch\b|\bauf eis\b|\bverschoben\b",
    rf"\bpas encore {W}{{0,3}}?decision|\baucune decision\b|\bdecision n'a pas encore|\bencore"
    r" (?:un peu )?de temps|\bplus de temps|\bbesoin de (?:\w+\s+)?temps|\btoujours en cours"
    r"|\ben cours (?:d'evaluation|de reflexion|d'analyse|de deliberation)|\bretard\w*"
    r"|\bdelibere\w*|\bdeliberation|\bencore en train de|\brepousse\w*|\ben suspens\b",
    rf"\b(?:todavia|aun) no (?:tenemos|hay|hemos tomado|se ha tomado) (?:una )?{W}?decision"
    r"|\bseguimos (?:entrevistando|revisando|evaluando|en proceso|analizando)|\b(?:todavia|aun)"
    r" (?:esta|estamos|estan) (?:revisando|evaluando|entrevistando|analizando|decidiendo)"
    r"|\b(?:mas|un poco mas de) tiempo\b|\bdemora\w*|\bretras\w*|\bla decision (?:final )?"
    r"se tomara|\bpospuest\w*|\ben pausa\b",
)
HOLD_UP_WEAK = (
    r"\b(?:sorry|apologi[sz]e|apologies) (?:\w+\s+){0,3}?(?:wait|delay)\b|\bthank(?:s| you) for"
    r" (?:your|the) patience\b|\bquick update\b|\bstatus update\b|\bgeduld\b|\bpatience\b"
    r"|\bpoint d'etape|\bpaciencia\b|\bactualizacion\b|\bdisculpa\b",
    # a vague time is still a time: the answer is not there yet
    r"\bafter (?:the holidays|christmas|new year|thanksgiving|the break)\b|\bin the new year\b"
    r"|\bin (?:a|the) (?:few|couple of|coming) (?:days|weeks)\b|\bover the (?:next|coming) (?:few"
    r" |couple of )?(?:days|weeks)\b|\bnach (?:den feiertagen|weihnachten|neujahr|dem"
    r" jahreswechsel)\b|\bin den (?:nachsten|kommenden) (?:tagen|wochen)\b|\bin einigen tagen\b"
    r"|\bzeitnah\b|\bapres (?:les fetes|noel|le nouvel an)\b|\bdans (?:les prochains|quelques)"
    r" (?:jours|semaines)\b|\bdespues de (?:las fiestas|navidad|ano nuevo)\b|\ben (?:los proximos"
    r"|unos) dias\b|\ben las proximas semanas\b",
)
