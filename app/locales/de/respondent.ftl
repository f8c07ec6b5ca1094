eyebrow = Soundings-Umfrage
send = Antworten senden
update = Antworten aktualisieren
optional = (optional)
other = Anderes:
other-specify = Anderes, bitte angeben
language = Sprache
close-panel = Umfrage vorerst schließen
closed-heading = Geschlossen
closed-text = { $days ->
    [one] Wir zeigen diese Umfrage hier einen Tag lang nicht mehr an.
   *[other] Wir zeigen diese Umfrage hier { $days } Tage lang nicht mehr an.
  } Alles, was Sie beantwortet haben, bleibt gespeichert.

saved-default = Vielen Dank! Ihre Antworten sind gespeichert.
saved-change = Sie können Ihre Antworten unten ändern, bis die Umfrage endet.
follow-up-strong = Noch eine Frage,
follow-up-text = passend zu Ihrer Antwort oben.
preselected-strong = Ihre Antwort ist unten ausgewählt.
preselected-text = Prüfen Sie sie und senden Sie das Formular ab: Gespeichert wird erst dann.
throttled-strong = Noch nicht gesendet.
throttled-text = Dieses Formular wurde in der letzten Stunde sehr oft aus Ihrem Netzwerk gesendet. Ihre Antworten stehen noch unten; bitte senden Sie sie später erneut.
not-saved-strong = Noch nicht gespeichert.
not-saved-text = Wir konnten Ihre Antworten gerade nicht speichern. Sie stehen noch unten; bitte senden Sie sie in einer Minute erneut.
check-answers = Bitte prüfen Sie Ihre Antworten

autosave-saving = Wird gespeichert…
autosave-saved = Ihre bisherigen Antworten sind gespeichert.
autosave-failed = Noch nicht gespeichert. Ihre Antworten bleiben auf dieser Seite; senden Sie sie ab, wenn Sie fertig sind.

seen-named = Das Team, das Sie eingeladen hat, sieht Ihre Antworten mit Ihrem Namen; Sie können sie über diesen Link ändern, bis die Umfrage endet.
seen-anonymous = Das Team sieht, wie viele Personen geantwortet haben, aber nicht wer, und nie, welche Antworten Ihre sind: Sie werden ohne Ihren Namen gespeichert und nur zusammen mit denen anderer gezeigt, daher lassen sie sich nach dem Senden nicht mehr ändern.
seen-unknown = Ihre Antworten werden ohne Ihren Namen und Ihre Adresse gespeichert, daher kann das Team nicht erkennen, wer sie gesendet hat, und sie lassen sich nach dem Senden nicht mehr ändern.

loop-label = Teilen Sie mir mit, was Sie daraus machen
loop-hint = Eine E-Mail nach dem Ende der Umfrage: was das Team gehört hat und was es daraufhin tut.
loop-hint-anonymous = Eine E-Mail nach dem Ende der Umfrage: was das Team gehört hat und was es daraufhin tut. Ihre Adresse wird getrennt von Ihren Antworten aufbewahrt.

problem-choose-from-scale = Wählen Sie eine Antwort von { $low } bis { $high }.
problem-not-on-scale = Wählen Sie eine der Antworten von { $low } bis { $high }.
problem-choose-option = Wählen Sie mindestens eine Option.
problem-not-an-option = Wählen Sie eine der angezeigten Optionen.
problem-write-other = Schreiben Sie Ihre Antwort neben „Anderes“.
problem-write-answer = Schreiben Sie eine Antwort.
problem-too-long = Bleiben Sie unter { $max } Zeichen (es sind { $chars }).

link-unknown-heading = Dieser Link funktioniert nicht
link-unknown-text = Er ist vielleicht unvollständig oder nicht mehr gültig. Wenn Sie zu einer Umfrage eingeladen wurden, bitten Sie die Person, die ihn geschickt hat, um einen neuen Link.
not-open-text = Diese Umfrage ist noch nicht geöffnet. Bitte versuchen Sie es später erneut.
closed-survey-text = Diese Umfrage ist beendet und nimmt keine Antworten mehr an. Vielen Dank für Ihr Interesse.
answered-default = Vielen Dank! Ihre Antworten sind angekommen.
answered-anonymous = Diese Umfrage ist anonym: Ihre Antworten sind ohne Ihren Namen gespeichert und können daher weder angezeigt noch geändert werden.
public-stored = Sie wurden anonym gespeichert, ohne Ihren Namen oder Ihre Adresse.

scale-csat-1 = Sehr unzufrieden
scale-csat-2 = Unzufrieden
scale-csat-3 = Neutral
scale-csat-4 = Zufrieden
scale-csat-5 = Sehr zufrieden
scale-nps-0 = Überhaupt nicht wahrscheinlich
scale-nps-10 = Äußerst wahrscheinlich
scale-ces-1 = Stimme überhaupt nicht zu
scale-ces-2 = Stimme nicht zu
scale-ces-3 = Stimme eher nicht zu
scale-ces-4 = Weder noch
scale-ces-5 = Stimme eher zu
scale-ces-6 = Stimme zu
scale-ces-7 = Stimme voll und ganz zu
scale-rating-1 = Schlecht
scale-rating-5 = Ausgezeichnet

unsubscribed-title = Sie sind abgemeldet
unsubscribed-now = { $who } erhält von uns keine Umfrage-Einladungen oder Erinnerungen mehr. Links zu Umfragen, die Sie schon erhalten haben, funktionieren weiter.
unsubscribed-undo = Rückgängig: weiter Umfragen erhalten
unsubscribed-already = { $who } erhält von uns keine Umfrage-Einladungen oder Erinnerungen.
unsubscribed-again = Wieder Umfragen erhalten
resubscribed-title = Willkommen zurück
resubscribed-text = { $who } erhält wieder Umfrage-Einladungen.
resubscribed-undo = Doch abmelden
unsubscribe-title = Keine Umfragen mehr erhalten?
unsubscribe-text = { $who } erhält von uns keine Umfrage-Einladungen oder Erinnerungen mehr.
unsubscribe-button = Abmelden
link-unknown-short = Er ist vielleicht unvollständig oder nicht mehr gültig.
went-wrong = Etwas ist schiefgegangen
