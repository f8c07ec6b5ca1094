mail-answer-button = Zur Umfrage
mail-one-click-hint = Wählen Sie eine Antwort: Die Umfrage öffnet sich mit ihr ausgewählt, bereit zum Absenden.
mail-one-click-text = Mit einem Klick antworten (die Umfrage öffnet sich mit Ihrer Antwort ausgewählt, bereit zum Absenden):
mail-footer = Sie erhalten diese Nachricht, weil Sie um Ihre Meinung zu { $feature } gebeten wurden.
mail-unsubscribe = Diese Umfragen abbestellen
mail-name-fallback = zusammen
mail-community-fallback = Ihre Organisation
