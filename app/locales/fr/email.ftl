mail-answer-button = Répondre à l’enquête
mail-one-click-hint = Choisissez une réponse : l’enquête s’ouvre avec elle sélectionnée, prête à être envoyée.
mail-one-click-text = Répondre en un clic (l’enquête s’ouvre avec votre réponse sélectionnée, prête à être envoyée) :
mail-footer = Vous recevez ce message parce que vous avez été invité à donner votre avis sur { $feature }.
mail-unsubscribe = Se désabonner de ces enquêtes
mail-name-fallback = à vous
mail-community-fallback = votre organisation
